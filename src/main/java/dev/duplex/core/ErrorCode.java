package dev.duplex.core;

/** The error codes of PROTOCOL.md section 3, with the message sent when a handler gives none. */
public enum ErrorCode {
    BAD_JSON("Frame is not a valid Duplex envelope"),
    UNKNOWN_EVENT("Unknown event"),
    INVALID_PAYLOAD("Invalid payload"),
    NOT_JOINED("Join first with user-joined"),
    NOT_FOUND("Not found"),
    FORBIDDEN("Not allowed"),
    RATE_LIMITED("Rate limit exceeded. Please slow down."),
    NOT_YOUR_TURN("It is not your turn"),
    CELL_TAKEN("That cell is already taken"),
    GAME_OVER("The game is over"),
    /**
     * A cluster's shared store cannot be reached just now, so the change could not be confirmed: it was not
     * applied, or (when the store answered too late) it appears later like any other change.
     */
    UNAVAILABLE("The cluster's shared store cannot be reached just now: try again shortly");

    private final String defaultMessage;

    ErrorCode(String defaultMessage) {
        this.defaultMessage = defaultMessage;
    }

    public String defaultMessage() {
        return defaultMessage;
    }
}
