package dev.duplex.web;

import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.nio.ByteBuffer;

/** {@code /game}: adapts the socket to the tic-tac-toe namespace; the rules live in {@code GameService}. */
@ServerEndpoint(value = "/game", configurator = HandshakeGuard.class)
public final class GameEndpoint {
    private final EndpointAdapter adapter = new EndpointAdapter("/game");

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
