package dev.duplex.apps.chat;

import dev.duplex.core.DuplexConfig;
import dev.duplex.core.RateLimit;

/**
 * The configurable limits of {@code /chat}: one rate limit per kind of work (messages, typing notices,
 * joins and renames, room changes), all over one window, and the rooms one connection may be in.
 */
public record ChatSettings(RateLimit messages, RateLimit typing, RateLimit joins, RateLimit rooms,
        int maxRoomsPerConnection) {
    private static final String WINDOW = "duplex.chat.rate-limit.window-ms";

    public static ChatSettings from(DuplexConfig config) {
        return new ChatSettings(RateLimit.from(config, "duplex.chat.rate-limit.messages", WINDOW),
                RateLimit.from(config, "duplex.chat.rate-limit.typing", WINDOW),
                RateLimit.from(config, "duplex.chat.rate-limit.joins", WINDOW),
                RateLimit.from(config, "duplex.chat.rate-limit.rooms", WINDOW),
                config.integer("duplex.chat.max-rooms-per-connection"));
    }
}
