package dev.duplex.web;

import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.nio.ByteBuffer;

/** {@code /location}: adapts the socket to the location sharing namespace; the rules live in {@code LocationService}. */
@ServerEndpoint(value = "/location", configurator = HandshakeGuard.class)
public final class LocationEndpoint {
    private final EndpointAdapter adapter = new EndpointAdapter("/location");

    @OnOpen
    public void open(Session session) {
        adapter.open(session);
    }

    @OnMessage
    public void text(String text) {
        adapter.text(text);
    }

    @OnMessage
    public void binary(ByteBuffer ignored) {
        adapter.binary();
    }

    @OnMessage
    public void pong(PongMessage ignored) {
        adapter.pong();
    }

    @OnClose
    public void close() {
        adapter.closed();
    }

    @OnError
    public void error(Throwable error) {
        adapter.error(error);
    }
}
