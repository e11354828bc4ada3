package dev.duplex.web;

import dev.duplex.Duplex;
import jakarta.websocket.server.ServerEndpointConfig;

/** Refuses upgrades from origins outside {@code duplex.allowed-origins} (HTTP 403 from the container). */
public final class HandshakeGuard extends ServerEndpointConfig.Configurator {
    @Override
    public boolean checkOrigin(String originHeaderValue) {
        return Duplex.current().originAllowed(originHeaderValue);
    }
}
