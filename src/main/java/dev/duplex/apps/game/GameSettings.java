package dev.duplex.apps.game;

import dev.duplex.core.DuplexConfig;
import dev.duplex.core.RateLimit;

/** The configurable limits of {@code /game}: how long finished games are kept, and one rate limit for its events. */
public record GameSettings(long finishedRetentionMillis, RateLimit events) {
    public static GameSettings from(DuplexConfig config) {
        return new GameSettings(config.longValue("duplex.game.finished-retention-ms"),
                RateLimit.from(config, "duplex.game.rate-limit.events", "duplex.game.rate-limit.window-ms"));
    }
}
