package dev.duplex.core;

import jakarta.json.JsonValue;

/**
 * A client frame that passed the envelope rules of PROTOCOL.md section 2.
 *
 * @param event the event name, 1-64 characters
 * @param data  the payload, {@link JsonValue#NULL} when absent
 * @param ack   the acknowledgement id, or null when the client wants none
 */
public record IncomingFrame(String event, JsonValue data, Long ack) {
}
