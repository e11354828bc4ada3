package dev.duplex.web;

import java.net.InetAddress;

/**
 * The address of the upgrade the current thread is handling, from {@link AdmissionFilter} to
 * {@link HandshakeGuard}: the container runs the configurator's {@code modifyHandshake} inside the filter's
 * {@code chain.doFilter}, on the same thread, in Tomcat, Payara and WildFly alike. Kept apart from the
 * filter so that the handshake code never needs the Servlet API (the standalone server has none in use).
 */
final class UpgradingAddress {
    private static final ThreadLocal<InetAddress> CURRENT = new ThreadLocal<>();

    private UpgradingAddress() {
    }

    static void set(InetAddress address) {
        CURRENT.set(address);
    }

    static void clear() {
        CURRENT.remove();
    }

    /** Null outside an upgrade that went through the filter. */
    static InetAddress get() {
        return CURRENT.get();
    }
}
