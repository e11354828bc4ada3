package dev.duplex.core;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a client presents to resume its session, in the {@code resume} frame it sends first after a
 * handshake with {@code ?session=resume}: the session's token from an earlier {@code connected}, and the
 * last position it saw in each stream ({@code offset} 0: none yet). Kept out of the URL, as tokens are, so
 * that no proxy's access log holds the secret.
 */
public record Resume(SocketId id, String secret, Map<String, History.Position> positions) {
    /** Streams a session can be in: the lobby, every room a connection may join, its private messages. */
    public static final int MAX_POSITIONS = 256;
    private static final Pattern TOKEN = Pattern.compile("([A-Za-z0-9_-]{1,64})\\.([A-Za-z0-9_-]{43})");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_:-]{1,80}");

    /** Reads the {@code resume} frame's data; throws {@link Refusal} (close 1008) for anything malformed. */
    public static Resume from(JsonValue data) {
        if (!(data instanceof JsonObject object) || !(object.get("session") instanceof JsonString session)) {
            throw new Refusal("Malformed resume: data must be {session, positions}");
        }
        var token = TOKEN.matcher(session.getString());
        if (!token.matches()) {
            throw new Refusal("Malformed resume: not a session token");
        }
        Map<String, History.Position> positions = new HashMap<>();
        JsonValue list = object.getOrDefault("positions", JsonValue.EMPTY_JSON_ARRAY);
        if (!(list instanceof JsonArray array) || array.size() > MAX_POSITIONS) {
            throw new Refusal("Malformed resume: positions must be an array of at most " + MAX_POSITIONS);
        }
        for (JsonValue entry : array) {
            History.Position position = position(entry);
            if (positions.put(position.stream(), position) != null) {
                throw new Refusal("Malformed resume: two positions for " + position.stream());
            }
        }
        return new Resume(new SocketId(token.group(1)), token.group(2), Map.copyOf(positions));
    }

    private static History.Position position(JsonValue entry) {
        if (entry instanceof JsonObject object && object.get("stream") instanceof JsonString stream
                && object.get("epoch") instanceof JsonString epoch
                && NAME.matcher(stream.getString()).matches() && NAME.matcher(epoch.getString()).matches()) {
            Long offset = Payload.integerOrNull(object.get("offset"));
            if (offset != null && offset >= 0 && offset <= Codec.MAX_ACK) {
                return new History.Position(stream.getString(), epoch.getString(), offset);
            }
        }
        throw new Refusal("Malformed resume: a position is {stream, epoch, offset}, offset an integer from 0");
    }
}
