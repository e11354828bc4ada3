package dev.duplex.web;

import dev.duplex.Duplex;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.Map;

/**
 * The handshake rules every container applies the same way. Origins: with {@code duplex.allowed-origins}
 * set, any other origin is refused (HTTP 403 from the container); without it, a browser's origin must be the
 * server's own ({@link SameOrigin}), or the connection is closed with 1008 before any event, the contract's
 * other form of refusal (a configurator cannot answer 403 from where the Host header is known). Clients
 * that send no Origin, which browsers always do, are not browsers and are let through. No extension is ever
 * negotiated: Tomcat accepts permessage-deflate whenever a browser offers it, and its inflater (like Tyrus')
 * has no bound on how far a small frame may expand, which would undo the message size limit.
 */
public final class HandshakeGuard extends ServerEndpointConfig.Configurator {
    /** Set in a connection's user properties (a per-connection copy in every container) when it is foreign. */
    static final String FOREIGN_ORIGIN = HandshakeGuard.class.getName() + ".foreignOrigin";
    /** The upgrading client's address, when a servlet filter saw it ({@link AdmissionFilter}). */
    static final String REMOTE_ADDRESS = HandshakeGuard.class.getName() + ".remoteAddress";

    @Override
    public boolean checkOrigin(String originHeaderValue) {
        return Duplex.current().originAllowed(originHeaderValue);
    }

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        if (UpgradingAddress.get() != null) {
            config.getUserProperties().put(REMOTE_ADDRESS, UpgradingAddress.get());
        }
        if (!Duplex.current().originsConfigured()) {
            String origin = header(request, "Origin");
            if (origin != null && !SameOrigin.matches(origin, header(request, "Host"))) {
                config.getUserProperties().put(FOREIGN_ORIGIN, origin);
            }
        }
    }

    @Override
    public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
        return List.of();
    }

    /** The first value of a header, whatever the case of its name in the container's map. */
    private static String header(HandshakeRequest request, String name) {
        for (Map.Entry<String, List<String>> entry : request.getHeaders().entrySet()) {
            if (entry.getKey() != null && entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
                return entry.getValue().get(0);
            }
        }
        return null;
    }
}
