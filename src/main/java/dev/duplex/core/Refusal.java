package dev.duplex.core;

/** Refuses a new connection before any event: it is closed with 1008 and the reason. */
public final class Refusal extends RuntimeException {
    public Refusal(String reason) {
        super(reason, null, false, false);
    }
}
