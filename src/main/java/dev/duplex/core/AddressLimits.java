package dev.duplex.core;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one network address may open: at most {@code connectionsPerAddress} connections at once (of
 * {@code maxConnections} in all) and at most a number of WebSocket handshakes per window. IPv6 addresses
 * count by their /64 prefix, the block a single subscriber is usually given, or one client could rotate
 * through addresses without end. The runtime asks at accept and at the upgrade and releases at close; an
 * address with nothing open, no recent handshake and no penalty is forgotten, at its last close or by the
 * periodic {@link #sweep} (an address that only made handshakes, or whose penalty ran out, has no close
 * left to come), so this holds only what is live.
 *
 * <p>Rate limits count per connection, so a script closed for abuse would simply reconnect with its limits
 * refilled. A connection closed for abuse therefore {@link #penalize penalizes} its address: no new handshake
 * from it is admitted for the penalty's length. Connections already open from the address are untouched, so
 * behind a shared NAT the abuser's neighbours keep their sockets and only wait to open new ones.
 * Thread-safe.
 */
public final class AddressLimits {
    /** Why an address is refused. */
    public enum Refusal {
        TOO_MANY_CONNECTIONS, TOO_MANY_HANDSHAKES
    }

    private static final class Usage {
        final AtomicInteger open = new AtomicInteger();
        final RateLimiter handshakes;
        volatile long barredUntil;

        Usage(RateLimit limit) {
            handshakes = limit.newLimiter();
        }
    }

    private final int maxConnections;
    private final int connectionsPerAddress;
    private final RateLimit handshakes;
    private final long penaltyMillis;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<String, Usage> usage = new ConcurrentHashMap<>();

    public AddressLimits(int maxConnections, int connectionsPerAddress, RateLimit handshakes, long penaltyMillis) {
        this.maxConnections = maxConnections;
        this.connectionsPerAddress = connectionsPerAddress;
        this.handshakes = handshakes;
        this.penaltyMillis = penaltyMillis;
    }

    public static AddressLimits from(DuplexConfig config) {
        return new AddressLimits(config.integer("duplex.limits.max-connections"),
                config.integer("duplex.limits.connections-per-address"),
                RateLimit.from(config, "duplex.limits.handshakes-per-address", "duplex.limits.handshake-window-ms"),
                config.longValue("duplex.limits.abuse-penalty-ms"));
    }

    /** A new connection from the address: null when admitted (then {@link #closed} it later), else why not. */
    public Refusal opened(InetAddress address) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            return Refusal.TOO_MANY_CONNECTIONS;
        }
        Refusal[] refused = new Refusal[1];
        usage.compute(key(address), (key, current) -> {
            Usage entry = current == null ? new Usage(handshakes) : current;
            if (entry.open.get() >= connectionsPerAddress) {
                refused[0] = Refusal.TOO_MANY_CONNECTIONS;
            } else {
                entry.open.incrementAndGet();
            }
            return entry;
        });
        if (refused[0] != null) {
            open.decrementAndGet();
            forgetIfIdle(key(address), System.currentTimeMillis());
        }
        return refused[0];
    }

    /** A connection that {@link #opened} admitted is gone. */
    public void closed(InetAddress address, long now) {
        open.decrementAndGet();
        Usage entry = usage.get(key(address));
        if (entry != null) {
            entry.open.decrementAndGet();
        }
        forgetIfIdle(key(address), now);
    }

    /** A WebSocket handshake from the address: whether it is within the address's rate and not penalized. */
    public boolean handshake(InetAddress address, long now) {
        Usage entry = usage.computeIfAbsent(key(address), key -> new Usage(handshakes));
        return now >= entry.barredUntil && entry.handshakes.tryAcquire(now);
    }

    /** A connection from the address was closed for abuse: its handshakes are refused for the penalty. */
    public void penalize(InetAddress address, long now) {
        if (penaltyMillis > 0) {
            // Inside the map's lock, so that a close forgetting the address at this moment cannot drop the penalty.
            usage.compute(key(address), (key, current) -> {
                Usage entry = current == null ? new Usage(handshakes) : current;
                entry.barredUntil = now + penaltyMillis;
                return entry;
            });
        }
    }

    /**
     * How long a client refused a handshake should wait, in whole seconds: what is left of its address's
     * penalty, or else the handshake window.
     */
    public long retryAfterSeconds(InetAddress address, long now) {
        Usage entry = usage.get(key(address));
        long wait = entry != null && entry.barredUntil > now ? entry.barredUntil - now : handshakes.windowMillis();
        return Math.max(1, (wait + 999) / 1000);
    }

    /** Connections open over all addresses. */
    public int open() {
        return open.get();
    }

    /** Forgets every address with nothing open, no recent handshake and no penalty; run periodically. */
    public void sweep(long now) {
        usage.keySet().forEach(key -> forgetIfIdle(key, now));
    }

    /** Addresses held now: the live ones. */
    int addressesHeld() {
        return usage.size();
    }

    private void forgetIfIdle(String key, long now) {
        usage.computeIfPresent(key, (k, entry) -> entry.open.get() <= 0 && entry.handshakes.idle(now)
                && now >= entry.barredUntil ? null : entry);
    }

    /** The address, or for IPv6 its /64 prefix. */
    static String key(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] bytes = address.getAddress();
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                prefix.append(Integer.toHexString(((bytes[i] & 0xFF) << 8) | (bytes[i + 1] & 0xFF))).append(':');
            }
            return prefix.append(":/64").toString();
        }
        return address.getHostAddress();
    }
}
