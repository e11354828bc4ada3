package dev.duplex.conformance;

import java.io.File;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The WAR as the container tests deploy it (unchanged, from {@code target/}), and where it answers. */
final class Deployed {
    private Deployed() {
    }

    /** {@code target/duplex.war}, exactly as built: for each container test's {@code @Deployment}. */
    static WebArchive war() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File("target/duplex.war"));
    }

    /** The deployment's base URL, ending in a slash, from the URL Arquillian injects. */
    static URI base(URL deployment) {
        String url = deployment.toString();
        try {
            return new URI(url.endsWith("/") ? url : url + "/");
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
