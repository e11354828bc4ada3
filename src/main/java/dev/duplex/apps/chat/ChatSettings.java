package dev.duplex.apps.chat;

import dev.duplex.core.DuplexConfig;
import dev.duplex.core.History;
import dev.duplex.core.RateLimit;

/**
 * The configurable limits of {@code /chat}: one rate limit per kind of work (messages, typing notices,
 * joins and renames, room changes, lists and history pages), all over one window, the rooms one connection
 * may be in, how big lobbies and rooms are told of their members ({@link PresenceSettings}), and how much of
 * the lobby's and each room's messages is kept ({@link History.Limits}).
 */
public record ChatSettings(RateLimit messages, RateLimit typing, RateLimit joins, RateLimit rooms, RateLimit lists,
        int maxRoomsPerConnection, PresenceSettings presence, History.Limits history) {
    private static final String WINDOW = "duplex.chat.rate-limit.window-ms";

    /**
     * When a scope's presence is coalesced ({@link PresenceFeed}): above {@code coalesceAbove} members, in one
     * diff per {@code windowMillis}; {@code pageSize} members on a first page and at most in one list.
     */
    public record PresenceSettings(int coalesceAbove, long windowMillis, int pageSize) {
        public PresenceSettings {
            if (coalesceAbove < 2 || windowMillis < 10 || pageSize < 1 || pageSize > 1000) {
                throw new IllegalArgumentException("duplex.chat.presence.coalesce-above must be at least 2, "
                        + "duplex.chat.presence.window-ms at least 10 and duplex.chat.presence.page-size 1 to 1000");
            }
        }

        /** A coalesced scope is told singly again once it has at most this many members. */
        int singlyAtOrBelow() {
            return coalesceAbove / 2;
        }
    }

    public static ChatSettings from(DuplexConfig config) {
        return new ChatSettings(RateLimit.from(config, "duplex.chat.rate-limit.messages", WINDOW),
                RateLimit.from(config, "duplex.chat.rate-limit.typing", WINDOW),
                RateLimit.from(config, "duplex.chat.rate-limit.joins", WINDOW),
                RateLimit.from(config, "duplex.chat.rate-limit.rooms", WINDOW),
                RateLimit.from(config, "duplex.chat.rate-limit.lists", WINDOW),
                config.integer("duplex.chat.max-rooms-per-connection"),
                new PresenceSettings(config.integer("duplex.chat.presence.coalesce-above"),
                        config.longValue("duplex.chat.presence.window-ms"),
                        config.integer("duplex.chat.presence.page-size")),
                new History.Limits(config.integer("duplex.chat.history.size"),
                        config.longValue("duplex.chat.history.max-age-ms"),
                        config.integer("duplex.chat.history.on-join"),
                        config.longValue("duplex.chat.history.max-bytes")));
    }
}
