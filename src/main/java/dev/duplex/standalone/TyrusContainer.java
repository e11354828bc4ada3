package dev.duplex.standalone;

import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import org.glassfish.tyrus.core.TyrusWebSocketEngine;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.WebSocketEngine;

/** Tyrus' server container without an HTTP server of its own: {@link StandaloneServer} supplies Grizzly. */
final class TyrusContainer extends TyrusServerContainer {
    private static final String CONTEXT_PATH = "/";
    private final TyrusWebSocketEngine engine;
    private final SessionTimers timers = new SessionTimers();

    TyrusContainer(Set<Class<?>> endpoints, int incomingBufferSize) {
        super(endpoints);
        engine = TyrusWebSocketEngine.builder(this).incomingBufferSize(incomingBufferSize).build();
    }

    void deploy() throws DeploymentException {
        try {
            start(CONTEXT_PATH, 0);
        } catch (java.io.IOException e) {
            throw new DeploymentException("Deploying the endpoints failed", e);
        }
    }

    @Override
    public void register(Class<?> endpointClass) throws DeploymentException {
        engine.register(endpointClass, CONTEXT_PATH);
    }

    @Override
    public void register(ServerEndpointConfig serverEndpointConfig) throws DeploymentException {
        engine.register(serverEndpointConfig, CONTEXT_PATH);
    }

    @Override
    public ScheduledExecutorService getScheduledExecutorService() {
        return timers;
    }

    @Override
    public void stop() {
        super.stop();
        timers.shutdownNow();
    }

    @Override
    public WebSocketEngine getWebSocketEngine() {
        return engine;
    }

    @Override
    public java.util.Map<String, Object> getProperties() {
        return java.util.Map.of();
    }

    String contextPath() {
        return CONTEXT_PATH;
    }
}
