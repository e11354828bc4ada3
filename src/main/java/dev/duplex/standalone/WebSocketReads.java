package dev.duplex.standalone;

import dev.duplex.core.RateLimit;
import dev.duplex.core.Scheduler;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.Filter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpServerFilter;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.Protocol;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.utils.IdleTimeoutFilter;

/**
 * Once a connection is a WebSocket, its reads skip Grizzly's HTTP filters and go straight to Tyrus' filter,
 * and the HTTP codec's record of the upgrade request is dropped. Grizzly would otherwise keep the whole
 * parsed request (header chunks, buffers, the response object: about 9 KiB) for the connection's lifetime,
 * the larger part of what an idle connection costs, and pass every frame through filters that have nothing
 * to do with it. Sits ahead of the HTTP codec.
 */
final class WebSocketReads extends BaseFilter implements AddOn {
    /** Set once a connection is a WebSocket: the guard of its frames. */
    private static final Attribute<FrameGuard> WEBSOCKET =
            Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(WebSocketReads.class.getName() + ".websocket");
    /** The codec's own attribute: the builder returns the existing one for its public name. */
    private static final Attribute<Object> HTTP_REQUEST =
            Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(HttpServerFilter.HTTP_SERVER_REQUEST_ATTR_NAME);
    /** Tyrus reads only the content of an upgraded connection's messages; the header is a placeholder. */
    private static final HttpRequestPacket UPGRADED =
            HttpRequestPacket.builder().method(Method.GET).uri("/").protocol(Protocol.HTTP_1_1).build();
    private static final FilterChainContext.CompletionListener RELEASE_UPGRADE_REQUEST = context -> {
        if (WEBSOCKET.isSet(context.getConnection())) {
            HTTP_REQUEST.remove(context.getConnection());
        }
    };

    private final long maxPayload;
    private final RateLimit pings;
    private final Scheduler timer;
    private Filter tyrus;

    /**
     * @param maxPayload the largest data frame a client may send (its message limit)
     * @param pings      how many ping frames a connection may send per window
     * @param timer      for aborting a connection that breaks the rules and then does not read its close
     */
    WebSocketReads(long maxPayload, RateLimit pings, Scheduler timer) {
        this.maxPayload = maxPayload;
        this.pings = pings;
        this.timer = timer;
    }

    /** Needs Tyrus' filter in the chain already: register after Tyrus' {@code WebSocketAddOn}. */
    @Override
    public void setup(NetworkListener listener, FilterChainBuilder chain) {
        // Tyrus puts its filter right before the HTTP server's request handler.
        int handler = chain.indexOfType(org.glassfish.grizzly.http.server.HttpServerFilter.class);
        Filter candidate = handler > 0 ? chain.get(handler - 1) : null;
        if (candidate == null || !candidate.getClass().getName().startsWith("org.glassfish.tyrus.")) {
            throw new IllegalStateException("Tyrus' WebSocket filter was not found before the request handler");
        }
        tyrus = candidate;
        chain.add(chain.indexOfType(HttpServerFilter.class), this);
    }

    /**
     * Marks a connection whose upgrade succeeded: from the next read on, its bytes go straight to Tyrus,
     * and the HTTP keep-alive timeout no longer applies (it would close a quiet WebSocket, whose reads and
     * writes this filter and {@code GrizzlyTransport} keep out of the idle filter's sight; Duplex's
     * heartbeat watches WebSockets instead).
     */
    void upgraded(Connection<?> connection) {
        WEBSOCKET.set(connection, new FrameGuard(maxPayload, pings.newLimiter()));
        IdleTimeoutFilter.setCustomTimeout(connection, -1, TimeUnit.MILLISECONDS);
    }

    @Override
    public NextAction handleRead(FilterChainContext ctx) throws IOException {
        FrameGuard guard = WEBSOCKET.get(ctx.getConnection());
        if (guard != null) {
            FrameGuard.Violation violation = guard.inspect((Buffer) ctx.getMessage(), System.currentTimeMillis());
            if (violation != null) {
                fail(ctx, violation);
                return ctx.getStopAction();
            }
            ctx.setMessage(HttpContent.builder(UPGRADED).content(ctx.getMessage()).build());
            NextAction action = tyrus.handleRead(ctx);
            // Tyrus passes on bytes of a connection it has already closed, as if they were a new HTTP request:
            // they are the rest of a WebSocket stream, for no filter after this one.
            return action.type() == ctx.getInvokeAction().type() ? ctx.getStopAction() : action;
        }
        // The handshake's read: once it is done, the codec's request is no longer needed.
        ctx.addCompletionListener(RELEASE_UPGRADE_REQUEST);
        return ctx.getInvokeAction();
    }

    /**
     * Fails the connection (RFC 6455 section 7.1.7): the close frame, then the TCP close once it is written,
     * with no wait for the client's close; Tyrus sees the connection go and the endpoint's close callback
     * runs. A client that does not even read its close frame is aborted after the close timeout.
     */
    private void fail(FilterChainContext ctx, FrameGuard.Violation violation) {
        Connection<?> connection = ctx.getConnection();
        if (!connection.isOpen()) {
            return;
        }
        ctx.write(Buffers.wrap(connection.getMemoryManager(), WebSocketFrames.close(violation.code(), violation.reason())));
        connection.closeSilently();
        timer.schedule(() -> {
            if (connection.isOpen()) {
                GrizzlyTransport.reset(connection);
            }
        }, GrizzlyTransport.CLOSE_TIMEOUT_MILLIS);
    }
}
