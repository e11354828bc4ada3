package dev.duplex.core;

import jakarta.json.JsonValue;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A namespace's events: name, payload parser, handler. Filled once at start, then read-only.
 * A parser turns {@code data} into a typed payload or throws {@link ErrorCode#INVALID_PAYLOAD}; a handler
 * applies it and returns the ack data (null for {@code {}}) or throws a {@link ProtocolError}.
 */
public final class EventTable {
    /** Applies a typed payload for a client. */
    @FunctionalInterface
    public interface Handler<T> {
        Object handle(Client client, T payload);
    }

    /** For events whose {@code data} is ignored. */
    @FunctionalInterface
    public interface NoDataHandler {
        Object handle(Client client);
    }

    private record Entry<T>(Function<JsonValue, T> parser, Handler<T> handler) {
        Object dispatch(Client client, JsonValue data) {
            return handler.handle(client, parser.apply(data));
        }
    }

    private final Map<String, Entry<?>> entries = new HashMap<>();

    public <T> EventTable on(String event, Function<JsonValue, T> parser, Handler<T> handler) {
        if (entries.putIfAbsent(event, new Entry<>(parser, handler)) != null) {
            throw new IllegalStateException("Event registered twice: " + event);
        }
        return this;
    }

    public EventTable on(String event, NoDataHandler handler) {
        return on(event, data -> data, (client, ignored) -> handler.handle(client));
    }

    /** Runs the event's handler; {@link ErrorCode#UNKNOWN_EVENT} when there is none. */
    Object dispatch(Client client, String event, JsonValue data) {
        Entry<?> entry = entries.get(event);
        if (entry == null) {
            throw new ProtocolError(ErrorCode.UNKNOWN_EVENT, "Unknown event '" + event + "'");
        }
        return entry.dispatch(client, data);
    }
}
