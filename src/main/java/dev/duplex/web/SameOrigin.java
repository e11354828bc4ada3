package dev.duplex.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Whether a browser's {@code Origin} names the server it is connecting to (the request's {@code Host}): the
 * default when no allowed origins are configured, so the shipped pages connect and a page of another site
 * cannot open a socket in its visitor's name (cross-site WebSocket hijacking). Hosts compare without case,
 * ports with the scheme's default filled in. The scheme itself is not compared: behind a TLS-terminating
 * proxy the server cannot tell it; configure {@code duplex.allowed-origins} to pin it.
 */
final class SameOrigin {
    private SameOrigin() {
    }

    static boolean matches(String origin, String host) {
        if (origin == null || host == null) {
            return false;
        }
        URI uri;
        try {
            uri = new URI(origin.trim());
        } catch (URISyntaxException e) {
            return false;
        }
        if (uri.getHost() == null || uri.getScheme() == null) {
            return false; // "null" (sandboxed frames, files) and anything else without an authority
        }
        int defaultPort = uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
        int originPort = uri.getPort() == -1 ? defaultPort : uri.getPort();
        String hostName;
        int hostPort;
        String value = host.trim().toLowerCase(Locale.ROOT);
        int colon = value.lastIndexOf(':');
        if (colon > value.lastIndexOf(']')) {
            hostName = value.substring(0, colon);
            try {
                hostPort = Integer.parseInt(value.substring(colon + 1));
            } catch (NumberFormatException e) {
                return false;
            }
        } else {
            hostName = value;
            hostPort = defaultPort;
        }
        return uri.getHost().toLowerCase(Locale.ROOT).equals(hostName) && originPort == hostPort;
    }
}
