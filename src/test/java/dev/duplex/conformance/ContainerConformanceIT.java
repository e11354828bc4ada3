package dev.duplex.conformance;

import java.net.URI;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The conformance suite against {@code target/duplex.war}, deployed unchanged into the container that
 * this failsafe execution put on the classpath (Tomcat 10.1 and 11, Payara Micro 6, WildFly 39).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ContainerConformanceIT extends ConformanceSuite {
    @ArquillianResource
    private URL deployment;

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployed.war();
    }

    @Override
    protected URI base() {
        return Deployed.base(deployment);
    }
}
