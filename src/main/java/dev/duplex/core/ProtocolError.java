package dev.duplex.core;

/**
 * A frame the server cannot act on: reported to the sender with its code, never closing the connection.
 * Thrown by payload parsing and by app rules; carries no stack trace because it is control flow, not a bug.
 */
public final class ProtocolError extends RuntimeException {
    private final ErrorCode code;

    public ProtocolError(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ProtocolError(ErrorCode code) {
        this(code, code.defaultMessage());
    }

    public static ProtocolError invalid(String message) {
        return new ProtocolError(ErrorCode.INVALID_PAYLOAD, message);
    }

    public ErrorCode code() {
        return code;
    }
}
