package dev.duplex.core;

import java.time.Clock;
import java.util.Collection;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keeps connections honest: pings each one every {@code pingIntervalMillis} and closes those silent
 * (no frame, not even a pong) for longer than {@code idleTimeoutMillis}. One periodic task for all
 * connections, rather than a timer per connection.
 */
public final class Heartbeat {
    private final Collection<Namespace> namespaces;
    private final long idleTimeoutMillis;
    private final long pingIntervalMillis;
    private final Clock clock;

    public Heartbeat(Collection<Namespace> namespaces, long idleTimeoutMillis, long pingIntervalMillis, Clock clock) {
        this.namespaces = namespaces;
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.pingIntervalMillis = pingIntervalMillis;
        this.clock = clock;
    }

    /** Runs often enough that an idle connection is closed within a quarter of the timeout past it. */
    public ScheduledFuture<?> start(ScheduledExecutorService scheduler) {
        long period = Math.max(10, Math.min(pingIntervalMillis, idleTimeoutMillis / 4));
        return scheduler.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    void tick() {
        long now = clock.millis();
        for (Namespace namespace : namespaces) {
            for (Client client : namespace.sessions().clients()) {
                if (now - client.lastSeen() > idleTimeoutMillis) {
                    // A silent connection may have stopped reading too: a write in flight may never end.
                    client.abort(CloseCode.NORMAL, "Idle timeout");
                } else {
                    client.pingIfDue(now, pingIntervalMillis);
                }
            }
        }
    }
}
