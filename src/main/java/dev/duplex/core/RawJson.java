package dev.duplex.core;

/**
 * JSON the codec has already produced, to be embedded as a frame's {@code data} without encoding it again
 * (a board's history is each segment's stored JSON, joined). Only ever built from {@link Codec#json}.
 */
public record RawJson(String json) {
}
