package dev.duplex.core;

/**
 * What any connection may send, whatever its events: {@code frames} bounds every text frame (valid or not,
 * {@code ping} included), and a connection that collects {@code rejections} answers of
 * {@link ErrorCode#RATE_LIMITED} is closed with 1008, so abuse costs the abuser its connection rather than
 * costing the server an error frame forever.
 */
public record FrameLimits(RateLimit frames, RateLimit rejections) {
    public static FrameLimits from(DuplexConfig config) {
        return new FrameLimits(RateLimit.from(config, "duplex.rate-limit.frames", "duplex.rate-limit.window-ms"),
                RateLimit.from(config, "duplex.rate-limit.close-after", "duplex.rate-limit.close-window-ms"));
    }
}
