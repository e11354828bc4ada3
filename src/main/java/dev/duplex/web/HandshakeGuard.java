package dev.duplex.web;

import dev.duplex.Duplex;
import jakarta.websocket.Extension;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;

/**
 * The handshake rules every container applies the same way: origins outside {@code duplex.allowed-origins}
 * are refused (HTTP 403 from the container), and no extension is ever negotiated. Tomcat, for one, accepts
 * permessage-deflate whenever a browser offers it, and its inflater (like Tyrus') has no bound on how far a
 * small frame may expand, which would undo the message size limit.
 */
public final class HandshakeGuard extends ServerEndpointConfig.Configurator {
    @Override
    public boolean checkOrigin(String originHeaderValue) {
        return Duplex.current().originAllowed(originHeaderValue);
    }

    @Override
    public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
        return List.of();
    }
}
