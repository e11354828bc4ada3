package dev.duplex.conformance;

import dev.duplex.testing.ClusterNodes;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The conformance suite against three packaged nodes of one cluster (the shared Redis), each connection of a
 * test on the next node: what passes on one node must pass with its clients spread over three.
 */
class ClusterConformanceIT extends ConformanceSuite {
    private static ClusterNodes cluster;
    private static final AtomicInteger next = new AtomicInteger();

    @BeforeAll
    static void start() throws IOException {
        cluster = ClusterNodes.start(3);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        cluster.close();
    }

    @Override
    protected URI base() {
        return cluster.node(Math.floorMod(next.getAndIncrement(), 3)).http("/");
    }
}
