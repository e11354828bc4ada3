package dev.duplex.apps.whiteboard;

import dev.duplex.core.DuplexConfig;
import dev.duplex.core.RateLimit;

/**
 * The configurable limits of {@code /whiteboard}: history per board, boards and segments per node, and rate limits for drawing
 * ({@code draw}, {@code undo}, {@code clear-canvas}) and for {@code request-drawings}, over one window.
 */
public record WhiteboardSettings(int maxHistory, int maxBoards, long maxSegments, RateLimit drawing, RateLimit requests) {
    private static final String WINDOW = "duplex.whiteboard.rate-limit.window-ms";

    public static WhiteboardSettings from(DuplexConfig config) {
        return new WhiteboardSettings(config.integer("duplex.whiteboard.max-history"),
                config.integer("duplex.whiteboard.max-boards"), config.longValue("duplex.whiteboard.max-segments"),
                RateLimit.from(config, "duplex.whiteboard.rate-limit.events", WINDOW),
                RateLimit.from(config, "duplex.whiteboard.rate-limit.requests", WINDOW));
    }
}
