package dev.duplex.apps.whiteboard;

import dev.duplex.core.DuplexConfig;

/** The configurable limits of {@code /whiteboard}. */
public record WhiteboardSettings(int maxHistory, int rateLimitEvents, long rateLimitWindowMillis) {
    public static WhiteboardSettings from(DuplexConfig config) {
        return new WhiteboardSettings(config.integer("duplex.whiteboard.max-history"),
                config.integer("duplex.whiteboard.rate-limit.events"),
                config.longValue("duplex.whiteboard.rate-limit.window-ms"));
    }
}
