package dev.duplex.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A connection's identity kept past its socket, so that a client that drops can come back as itself: the
 * same socket id, user, rooms, seat or entry, and the events it missed. Only the holder of the secret the
 * server gave that client may resume it; the server keeps just the secret's SHA-256.
 *
 * <p>A session is <em>attached</em> to one connection or <em>suspended</em>, between a drop and a resume or
 * the end of its window. Its transitions (suspend, the grace's end, resume, expiry) run one at a time on the
 * session's own line, whichever thread brings them, so the app's callbacks for one session never overlap.
 */
public final class Session {
    private final SocketId id;
    private final byte[] secretHash;
    private final String user;
    private final SerialExecutor line = new SerialExecutor();
    private volatile Object state;
    // Used on the line only.
    private Client client;
    private long generation;
    private boolean departed;
    private boolean forgotten;
    private final List<Runnable> afterSuspend = new ArrayList<>(1);

    Session(SocketId id, String secret, String user) {
        this.id = id;
        this.secretHash = sha256(secret);
        this.user = user;
    }

    public SocketId id() {
        return id;
    }

    /** What the app keeps for resuming (a chat user's name and rooms): set on the connection's changes. */
    public Object state() {
        return state;
    }

    public void state(Object state) {
        this.state = state;
    }

    /** Whether {@code secret} is this session's, and the connection is the same user's (or both anonymous). */
    boolean admits(String secret, String authenticatedName) {
        return MessageDigest.isEqual(secretHash, sha256(secret)) && Objects.equals(user, authenticatedName);
    }

    // ---- on the line -----------------------------------------------------------------------------------

    void onLine(Runnable task) {
        line.execute(task);
    }

    Client client() {
        return client;
    }

    long generation() {
        return generation;
    }

    boolean departed() {
        return departed;
    }

    void departed(boolean departed) {
        this.departed = departed;
    }

    boolean forgotten() {
        return forgotten;
    }

    void forget() {
        forgotten = true;
    }

    /** Attaches a connection; a new generation, so that the timers of the last suspension do nothing. */
    void attach(Client client) {
        this.client = client;
        generation++;
    }

    /** The attached connection is gone; returns what waited for that (a resume that took it over), to run next. */
    List<Runnable> suspend() {
        client = null;
        generation++;
        List<Runnable> waiting = List.copyOf(afterSuspend);
        afterSuspend.clear();
        return waiting;
    }

    /** Runs {@code task} on the line once the attached connection has been suspended. */
    void whenSuspended(Runnable task) {
        if (client == null) {
            task.run();
        } else {
            afterSuspend.add(task);
        }
    }

    private static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }
}
