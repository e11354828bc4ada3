package dev.duplex.conformance;

import dev.duplex.testing.JarServer;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The WAR in a container and a standalone node as one cluster: the conformance suite with each test's
 * connections alternating between the two. Run by the Tomcat 10.1 execution, whose container JVM carries
 * {@code duplex.redis.uri} and a cluster name of the build's own; the standalone node is given the same.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ContainerClusterIT extends ConformanceSuite {
    private static final AtomicInteger next = new AtomicInteger();
    private static JarServer standalone;

    @ArquillianResource
    private URL deployment;

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployed.war();
    }

    @BeforeAll
    static void start() throws IOException {
        standalone = JarServer.start("256m", Map.of(
                "duplex.redis.uri", required("duplex.redis.uri"),
                "duplex.cluster.name", required("duplex.cluster.name")));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        standalone.close();
    }

    private static String required(String setting) {
        String value = System.getProperty(setting);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException(setting + " must be set for the container: see the pom's tomcat-10.1 execution");
        }
        return value;
    }

    @Override
    protected URI base() {
        return next.getAndIncrement() % 2 == 0 ? Deployed.base(deployment) : standalone.http("/");
    }
}
