package dev.duplex.core;

import jakarta.json.JsonValue;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A namespace's events: name, payload parser, handler and rate limit. Filled once at start, then read-only.
 * A parser turns {@code data} into a typed payload or throws {@link ErrorCode#INVALID_PAYLOAD}; a handler
 * applies it and returns the ack data (null for {@code {}}) or throws a {@link ProtocolError}. A handler whose
 * work finishes later (it waits for the cluster) returns a {@link java.util.concurrent.CompletionStage} of the
 * ack data instead, which may also fail with a {@link ProtocolError}; the connection's next frame waits for
 * it. An event with a {@link RateLimit} counts against it only when its handler accepts the frame (for a
 * stage: when it completes without failing); over the limit the frame is refused with
 * {@link ErrorCode#RATE_LIMITED} before the handler runs.
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

    private static final class Entry<T> {
        private final Function<JsonValue, T> parser;
        private final Handler<T> handler;
        private RateLimit limit;

        Entry(Function<JsonValue, T> parser, Handler<T> handler) {
            this.parser = parser;
            this.handler = handler;
        }

        Object dispatch(Client client, JsonValue data, long now) {
            T payload = parser.apply(data);
            RateLimiter limiter = limit == null ? null : client.limiter(limit);
            if (limiter != null && !limiter.available(now)) {
                throw new ProtocolError(ErrorCode.RATE_LIMITED);
            }
            Object ack = handler.handle(client, payload);
            if (limiter != null) {
                if (ack instanceof CompletionStage<?> later) {
                    // Refused later (a journal's rules said no) counts no more than refused at once.
                    later.whenComplete((answer, failure) -> {
                        if (failure == null) {
                            limiter.record(now);
                        }
                    });
                } else {
                    limiter.record(now);
                }
            }
            return ack;
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

    /** The events share {@code limit}: each accepted frame of any of them takes one of its permits. */
    public EventTable limit(RateLimit limit, String... events) {
        for (String event : events) {
            Entry<?> entry = entries.get(event);
            if (entry == null || entry.limit != null) {
                throw new IllegalStateException("Cannot limit " + event + ": unknown or limited already");
            }
            entry.limit = limit;
        }
        return this;
    }

    /** Runs the event's handler; {@link ErrorCode#UNKNOWN_EVENT} when there is none. */
    Object dispatch(Client client, String event, JsonValue data, long now) {
        Entry<?> entry = entries.get(event);
        if (entry == null) {
            throw new ProtocolError(ErrorCode.UNKNOWN_EVENT, "Unknown event '" + event + "'");
        }
        return entry.dispatch(client, data, now);
    }
}
