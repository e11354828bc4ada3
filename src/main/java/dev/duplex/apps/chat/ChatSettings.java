package dev.duplex.apps.chat;

import dev.duplex.core.DuplexConfig;

/** The configurable limits of {@code /chat}. */
public record ChatSettings(int rateLimitMessages, long rateLimitWindowMillis) {
    public static ChatSettings from(DuplexConfig config) {
        return new ChatSettings(config.integer("duplex.chat.rate-limit.messages"),
                config.longValue("duplex.chat.rate-limit.window-ms"));
    }
}
