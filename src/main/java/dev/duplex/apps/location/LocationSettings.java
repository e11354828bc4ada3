package dev.duplex.apps.location;

import dev.duplex.core.DuplexConfig;
import dev.duplex.core.RateLimit;

/** The configurable limits of {@code /location}. */
public record LocationSettings(long coalesceMillis, int maxGroups, RateLimit updates) {
    public static LocationSettings from(DuplexConfig config) {
        return new LocationSettings(config.longValue("duplex.location.coalesce-ms"),
                config.integer("duplex.location.max-groups"),
                RateLimit.from(config, "duplex.location.rate-limit.updates", "duplex.location.rate-limit.window-ms"));
    }
}
