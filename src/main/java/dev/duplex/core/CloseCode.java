package dev.duplex.core;

/** The WebSocket close codes Duplex uses (PROTOCOL.md section 3). */
public enum CloseCode {
    NORMAL(1000),
    GOING_AWAY(1001),
    UNSUPPORTED_DATA(1003),
    POLICY_VIOLATION(1008),
    TOO_BIG(1009),
    SERVER_ERROR(1011),
    /** The server is at a capacity limit for now (RFC 6455 registry: "Try Again Later"). */
    TRY_AGAIN_LATER(1013);

    private final int code;

    CloseCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
