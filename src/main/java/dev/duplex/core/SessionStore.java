package dev.duplex.core;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sessions of one namespace on this node, attached or suspended, at most {@code max} of them: past it a
 * new connection gets no session (it works as before, without recovery), so that clients opening and
 * dropping connections cannot fill the memory with suspended sessions. Thread-safe.
 */
public final class SessionStore {
    /** A new session and the token its client presents to resume it: {@code <socket id>.<secret>}. */
    public record Issued(Session session, String token) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final ConcurrentHashMap<SocketId, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final int max;

    public SessionStore(int max) {
        this.max = max;
    }

    /** A session for a new connection with this id, or null when the store is full. */
    Issued create(SocketId id, String authenticatedName) {
        if (count.incrementAndGet() > max) {
            count.decrementAndGet();
            return null;
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String secret = ENCODER.encodeToString(bytes);
        Session session = new Session(id, secret, authenticatedName);
        sessions.put(id, session);
        return new Issued(session, id.value() + "." + secret);
    }

    Session find(SocketId id) {
        return sessions.get(id);
    }

    void remove(Session session) {
        if (sessions.remove(session.id(), session)) {
            count.decrementAndGet();
        }
    }
}
