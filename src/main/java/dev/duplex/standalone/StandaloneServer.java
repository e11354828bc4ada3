package dev.duplex.standalone;

import dev.duplex.Duplex;
import dev.duplex.core.DuplexConfig;
import dev.duplex.core.FrameLimits;
import dev.duplex.web.Endpoints;
import dev.duplex.web.Transports;
import jakarta.websocket.DeploymentException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import org.glassfish.grizzly.http.server.CLStaticHttpHandler;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.nio.transport.TCPNIOTransport;
import org.glassfish.grizzly.strategies.SameThreadIOStrategy;
import org.glassfish.tyrus.container.grizzly.server.WebSocketAddOn;

/**
 * Duplex on one port without a servlet container: Grizzly serves the pages from the classpath and hands
 * WebSocket upgrades to Tyrus.
 */
public final class StandaloneServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StandaloneServer.class.getName());
    /**
     * Tyrus appends each read to what it has not parsed yet and refuses (1011) when that passes its buffer
     * size, so the size must hold a frame up to the message limit plus a whole read of further frames. It is
     * a cap, not an allocation: what a connection pins is its unparsed remainder, at most one frame, which
     * {@link FrameGuard} keeps within the message limit by refusing larger frames from their header.
     */
    private static final int FRAME_OVERHEAD = 14;

    private final Duplex duplex;
    private final HttpServer http;
    private final TyrusContainer websockets;
    private final NetworkListener listener;
    private final GrizzlyTransports transports;

    private StandaloneServer(Duplex duplex, HttpServer http, TyrusContainer websockets, NetworkListener listener,
            GrizzlyTransports transports) {
        this.duplex = duplex;
        this.http = http;
        this.websockets = websockets;
        this.listener = listener;
        this.transports = transports;
    }

    /** Starts the runtime and the server; port 0 picks a free one. */
    public static StandaloneServer start(DuplexConfig config) throws IOException, DeploymentException {
        Duplex duplex = Duplex.start(config);
        try {
            TyrusContainer websockets = new TyrusContainer(Endpoints.ALL,
                    Math.max(4 * 1024 * 1024, duplex.maxMessageBytes() + FRAME_OVERHEAD));
            websockets.deploy();

            HttpServer http = new HttpServer();
            NetworkListener listener = new NetworkListener("duplex", config.string("duplex.host"),
                    config.integer("duplex.port"));
            // Idle page connections are closed; WebSockets are exempted at the upgrade (WebSocketReads).
            listener.getKeepAlive().setIdleTimeoutInSeconds(config.integer("duplex.http.keep-alive-seconds"));
            listener.registerAddOn(new WebSocketAddOn(websockets, websockets.contextPath()));
            listener.registerAddOn(new CompleteRefusals());
            listener.registerAddOn(new Admission(duplex, duplex.addressLimits()));
            listener.registerAddOn(new UpgradingConnection());
            WebSocketReads reads = new WebSocketReads(duplex.maxMessageBytes(), FrameLimits.from(config).frames(),
                    duplex.scheduler());
            listener.registerAddOn(reads);
            http.addListener(listener);
            TCPNIOTransport transport = listener.getTransport();
            // Each selector thread (one per core) handles its connections' reads itself, like an event loop:
            // nothing on the read path blocks (sends only queue; the pages are small and file-cached), and a
            // hand-off to a worker thread per frame cost a thread switch and two epoll calls. Measured on the
            // room benchmark: p50 latency 48 -> 35 ms and a fifth less CPU.
            transport.setIOStrategy(SameThreadIOStrategy.getInstance());
            CLStaticHttpHandler pages = new CLStaticHttpHandler(StandaloneServer.class.getClassLoader(), "/webapp/");
            pages.setFileCacheEnabled(true);
            http.getServerConfiguration().addHttpHandler(pages, "/");
            GrizzlyTransports transports = new GrizzlyTransports(transport, duplex.scheduler(), reads);
            Transports.use(transports);
            http.start();
            return new StandaloneServer(duplex, http, websockets, listener, transports);
        } catch (IOException | DeploymentException | RuntimeException e) {
            Transports.reset();
            duplex.close();
            throw e;
        }
    }

    public int port() {
        return listener.getPort();
    }

    /**
     * Closes every connection with 1001 and waits, within the grace period, until their TCP connections are
     * gone (the close handshake done, or the close timeout passed), refusing new upgrades meanwhile; then stops.
     */
    @Override
    public void close() {
        duplex.shutdown(() -> transports.live() > 0);
        websockets.stop();
        try {
            http.shutdown(1, TimeUnit.SECONDS).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(Level.DEBUG, "HTTP shutdown did not finish cleanly", e);
            http.shutdownNow();
        }
        Transports.reset();
        duplex.close();
    }

    GrizzlyTransports transports() {
        return transports;
    }
}
