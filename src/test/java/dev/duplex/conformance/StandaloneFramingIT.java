package dev.duplex.conformance;

import dev.duplex.testing.TestServer;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The RFC 6455 framing suite against the standalone Tyrus + Grizzly server, default settings. */
class StandaloneFramingIT extends WebSocketFramingSuite {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Override
    protected URI base() {
        return server.http("/");
    }
}
