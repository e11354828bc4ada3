package dev.duplex.apps.location;

import dev.duplex.core.DuplexConfig;

/** The configurable limits of {@code /location}. */
public record LocationSettings(long coalesceMillis, int rateLimitUpdates, long rateLimitWindowMillis) {
    public static LocationSettings from(DuplexConfig config) {
        return new LocationSettings(config.longValue("duplex.location.coalesce-ms"),
                config.integer("duplex.location.rate-limit.updates"),
                config.longValue("duplex.location.rate-limit.window-ms"));
    }
}
