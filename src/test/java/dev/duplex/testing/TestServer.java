package dev.duplex.testing;

import dev.duplex.core.DuplexConfig;
import dev.duplex.standalone.StandaloneServer;
import java.net.URI;
import java.util.Map;

/** The standalone server on a free loopback port, with settings for one test class. */
public final class TestServer implements AutoCloseable {
    private final StandaloneServer server;

    private TestServer(StandaloneServer server) {
        this.server = server;
    }

    public static TestServer start() {
        return start(Map.of());
    }

    public static TestServer start(Map<String, String> settings) {
        DuplexConfig config = DuplexConfig.defaults().with("duplex.host", "127.0.0.1").with("duplex.port", "0");
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            config = config.with(setting.getKey(), setting.getValue());
        }
        try {
            return new TestServer(StandaloneServer.start(config));
        } catch (Exception e) {
            throw new IllegalStateException("The standalone server did not start", e);
        }
    }

    public int port() {
        return server.port();
    }

    /** {@code ws://127.0.0.1:PORT/path} with an optional query. */
    public URI ws(String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + port() + pathAndQuery);
    }

    public URI http(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    public WsClient connect(String pathAndQuery) {
        return WsClient.connect(ws(pathAndQuery));
    }

    @Override
    public void close() {
        server.close();
    }
}
