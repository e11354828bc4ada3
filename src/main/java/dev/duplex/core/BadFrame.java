package dev.duplex.core;

/**
 * A frame that is not a valid envelope ({@link ErrorCode#BAD_JSON}). Keeps what could still be read of it,
 * so the error can be answered in an ack frame or name the event.
 */
public final class BadFrame extends Exception {
    private final String event;
    private final Long ack;

    BadFrame(String message, String event, Long ack) {
        super(message, null, false, false);
        this.event = event;
        this.ack = ack;
    }

    /** The frame's {@code event} when it was a string, else null. */
    public String event() {
        return event;
    }

    /** The frame's {@code ack} when it was valid, else null. */
    public Long ack() {
        return ack;
    }
}
