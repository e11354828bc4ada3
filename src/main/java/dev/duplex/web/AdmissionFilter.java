package dev.duplex.web;

import dev.duplex.Duplex;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Inside a servlet container, who may upgrade, decided before the container's WebSocket handling (a filter
 * the WAR declares runs before it in Tomcat, Payara and WildFly): while draining for shutdown an upgrade
 * gets HTTP 503; past its address's handshake rate, 429 with {@code Retry-After}. The address, as the
 * container reports it (proxy settings such as Tomcat's RemoteIpValve honoured), is handed to the handshake
 * through a thread-local, since the container's {@code modifyHandshake} runs inside {@code chain.doFilter}
 * on this thread; from there it reaches the connection's user properties, where the endpoint counts it
 * against the address's connection limit. The standalone server does all this in its Grizzly filters.
 */
@WebFilter(urlPatterns = {"/chat", "/whiteboard", "/game", "/location"}, asyncSupported = true)
public final class AdmissionFilter extends HttpFilter {
    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            chain.doFilter(request, response);
            return;
        }
        Duplex duplex = Duplex.current();
        if (duplex.draining()) {
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "Shutting down");
            return;
        }
        InetAddress address = address(request);
        long now = System.currentTimeMillis();
        if (address != null && !duplex.addressLimits().handshake(address, now)) {
            response.setHeader("Retry-After", Long.toString(duplex.addressLimits().retryAfterSeconds(address, now)));
            response.sendError(429, "Too many handshakes from this address");
            return;
        }
        UpgradingAddress.set(address);
        try {
            chain.doFilter(request, response);
        } finally {
            UpgradingAddress.clear();
        }
    }

    private static InetAddress address(HttpServletRequest request) {
        try {
            return InetAddress.getByName(request.getRemoteAddr()); // a literal address: no lookup
        } catch (UnknownHostException | RuntimeException e) {
            return null;
        }
    }
}
