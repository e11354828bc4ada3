package dev.duplex.core;

/**
 * Refuses a connection: it is closed with the refusal's code and reason, before any event when the refusal
 * comes from the handshake or {@link NamespaceApp#admit}, right after {@code connected} when it comes from
 * {@link NamespaceApp#opened} (a server at capacity: 1013, try again later).
 */
public final class Refusal extends RuntimeException {
    private final CloseCode code;

    public Refusal(String reason) {
        this(CloseCode.POLICY_VIOLATION, reason);
    }

    public Refusal(CloseCode code, String reason) {
        super(reason, null, false, false);
        this.code = code;
    }

    public CloseCode code() {
        return code;
    }
}
