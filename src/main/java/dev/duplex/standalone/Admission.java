package dev.duplex.standalone;

import dev.duplex.Duplex;
import dev.duplex.core.AddressLimits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.http.HttpServerFilter;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;

/**
 * Who may connect, decided before Tyrus sees anything: at accept, a connection past the node's or its
 * address's connection limit is closed at once (it never holds a descriptor for long, and the node stays
 * below the process's open-files limit, where Grizzly's acceptor would spin); at the upgrade, a handshake
 * past its address's rate is answered with HTTP 429 and {@code Retry-After}, and any handshake while the
 * server drains for shutdown with 503. Counts every TCP connection, page requests included, so a client
 * that opens connections and sends nothing is bounded too. Sits right behind the HTTP codec.
 */
final class Admission extends BaseFilter implements AddOn {
    private static final System.Logger LOG = System.getLogger(Admission.class.getName());

    private final Duplex duplex;
    private final AddressLimits limits;

    Admission(Duplex duplex, AddressLimits limits) {
        this.duplex = duplex;
        this.limits = limits;
    }

    @Override
    public void setup(NetworkListener listener, FilterChainBuilder chain) {
        chain.add(chain.indexOfType(HttpServerFilter.class) + 1, this);
    }

    @Override
    public NextAction handleAccept(FilterChainContext ctx) throws IOException {
        Connection<?> connection = ctx.getConnection();
        InetAddress address = peer(connection);
        if (address == null) {
            return ctx.getInvokeAction();
        }
        AddressLimits.Refusal refused = limits.opened(address);
        if (refused != null) {
            LOG.log(System.Logger.Level.DEBUG, "Refused a connection from {0}: {1}", address, refused);
            // At once: a graceful close would wait on the write queue, holding the descriptor meanwhile.
            GrizzlyTransport.reset(connection);
            return ctx.getStopAction();
        }
        connection.addCloseListener((closed, type) -> limits.closed(address, System.currentTimeMillis()));
        return ctx.getInvokeAction();
    }

    @Override
    public NextAction handleRead(FilterChainContext ctx) throws IOException {
        if (ctx.getMessage() instanceof HttpContent content && content.getHttpHeader() instanceof HttpRequestPacket request
                && request.isUpgrade()) {
            if (duplex.draining()) {
                return refuse(ctx, request, 503, "Service Unavailable", null);
            }
            InetAddress address = peer(ctx.getConnection());
            long now = System.currentTimeMillis();
            if (address != null && !limits.handshake(address, now)) {
                return refuse(ctx, request, 429, "Too Many Requests", limits.retryAfterSeconds(address, now));
            }
        }
        return ctx.getInvokeAction();
    }

    private static NextAction refuse(FilterChainContext ctx, HttpRequestPacket request, int status, String reason,
            Long retryAfterSeconds) {
        HttpResponsePacket response = request.getResponse();
        response.setStatus(status);
        response.setReasonPhrase(reason);
        response.setContentLength(0);
        response.setHeader("Connection", "close");
        if (retryAfterSeconds != null) {
            response.setHeader("Retry-After", Long.toString(retryAfterSeconds));
        }
        ctx.write(HttpContent.builder(response).last(true).build());
        ctx.getConnection().closeSilently();
        return ctx.getStopAction();
    }

    /** The connection's peer address; null for a connection that is not over IP. */
    static InetAddress peer(Connection<?> connection) {
        return connection.getPeerAddress() instanceof InetSocketAddress socket ? socket.getAddress() : null;
    }
}
