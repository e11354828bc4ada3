package dev.duplex.standalone;

import java.io.IOException;
import java.net.SocketAddress;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpServerFilter;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;

/**
 * Tells an endpoint's {@code @OnOpen} which Grizzly connection it runs on. Tyrus' filter completes the
 * handshake and calls {@code @OnOpen} on the thread that reads the upgrade request, right after this filter
 * has seen that request, so a thread-local hands the connection over without touching Tyrus' internals.
 */
final class UpgradingConnection extends BaseFilter implements AddOn {
    private static final ThreadLocal<Connection<SocketAddress>> CURRENT = new ThreadLocal<>();

    @Override
    public void setup(NetworkListener listener, FilterChainBuilder chain) {
        // Right behind the HTTP codec, so ahead of Tyrus' filter (which sits before the request handler).
        chain.add(chain.indexOfType(HttpServerFilter.class) + 1, this);
    }

    @Override
    public NextAction handleRead(FilterChainContext ctx) throws IOException {
        if (ctx.getMessage() instanceof HttpContent content && content.getHttpHeader().isUpgrade()) {
            @SuppressWarnings("unchecked") // TCP connections are addressed by SocketAddress
            Connection<SocketAddress> connection = ctx.getConnection();
            CURRENT.set(connection);
        }
        return ctx.getInvokeAction();
    }

    /** The connection whose upgrade this thread is handling, once; null outside a handshake. */
    static Connection<SocketAddress> take() {
        Connection<SocketAddress> connection = CURRENT.get();
        CURRENT.remove();
        return connection;
    }
}
