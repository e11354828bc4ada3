package dev.duplex.core;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.adapter.JsonbAdapter;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.util.Map;

/**
 * The wire format: decodes client frames into {@link IncomingFrame}s (strictly, with JSON-P) and encodes
 * server frames from records (with JSON-B). Thread-safe; one instance per runtime, because building a
 * {@link Jsonb} is expensive and it caches class models.
 */
public final class Codec implements AutoCloseable {
    /** 2^53 - 1: the largest integer every JSON client represents exactly. */
    public static final long MAX_ACK = 9_007_199_254_740_991L;
    private static final int MAX_EVENT_LENGTH = 64;

    private final JsonProvider json = JsonProvider.provider();
    private final Jsonb jsonb = JsonbBuilder.create(new JsonbConfig()
            .withNullValues(true)
            .withAdapters(new SocketIdAdapter()));

    public record EventFrame(String event, Object data) {
    }

    public record AckFrame(long ack, Object data) {
    }

    public record AckErrorFrame(long ack, ErrorBody error) {
    }

    public record ErrorBody(String code, String message) {
    }

    public record ErrorEvent(String code, String message, String event) {
    }

    /**
     * Reads one client frame. Whatever the parser refuses is {@code BAD_JSON}: besides syntax errors, Parsson
     * throws assorted runtime exceptions for nesting deeper than its limit, number literals longer than it
     * takes and exponents outside the int range, so every exception of the parse is caught here, at the edge.
     */
    public IncomingFrame decode(String text) throws BadFrame {
        JsonObject frame = parse(text);
        if (text.indexOf("\\u") >= 0) {
            // Only an escape can smuggle an unpaired surrogate into a decoded string (the socket's text is
            // valid UTF-8); most frames have none, so the walk is skipped for them. The walk recurses as deep
            // as the parser let the frame nest.
            try {
                frame = (JsonObject) wellFormed(frame);
            } catch (StackOverflowError e) {
                throw new BadFrame("Frame is nested too deeply", null, null);
            }
        }
        JsonValue eventValue = frame.get("event");
        String event = eventValue instanceof JsonString s ? s.getString() : null;
        // A refusal repeats the event to its sender: never more of it than an excerpt.
        String named = event == null ? null : Text.excerpt(event);
        Long ack = null;
        if (frame.containsKey("ack")) {
            ack = Payload.integerOrNull(frame.get("ack"));
            if (ack == null || ack < 0 || ack > MAX_ACK) {
                throw new BadFrame("ack must be an integer from 0 to " + MAX_ACK, named, null);
            }
        }
        if (event == null || event.isEmpty() || event.codePointCount(0, event.length()) > MAX_EVENT_LENGTH) {
            throw new BadFrame("event must be a string of 1-" + MAX_EVENT_LENGTH + " characters", named, ack);
        }
        return new IncomingFrame(event, frame.getOrDefault("data", JsonValue.NULL), ack);
    }

    private JsonObject parse(String text) throws BadFrame {
        try (JsonParser parser = json.createParser(new StringReader(text))) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
                throw new BadFrame("Frame must be a JSON object", null, null);
            }
            JsonObject frame = parser.getObject();
            if (parser.hasNext()) {
                throw new BadFrame("Frame must be exactly one JSON object", null, null);
            }
            return frame;
        } catch (RuntimeException | StackOverflowError e) {
            // A StackOverflowError of a recursive parse unwinds cleanly: the frame is refused, nothing else.
            throw new BadFrame("Frame is not valid JSON", null, null);
        }
    }

    /** The value with every unpaired surrogate in its strings and keys replaced by U+FFFD. */
    private JsonValue wellFormed(JsonValue value) {
        switch (value.getValueType()) {
            case STRING:
                String string = ((JsonString) value).getString();
                String clean = Text.wellFormed(string);
                return clean == string ? value : json.createValue(clean);
            case OBJECT:
                JsonObjectBuilder object = json.createObjectBuilder();
                value.asJsonObject().forEach((key, member) -> object.add(Text.wellFormed(key), wellFormed(member)));
                return object.build();
            case ARRAY:
                JsonArrayBuilder array = json.createArrayBuilder();
                for (JsonValue element : (JsonArray) value) {
                    array.add(wellFormed(element));
                }
                return array.build();
            default:
                return value;
        }
    }

    /** {@code {"event": event, "data": data}}; {@link RawJson} data is embedded as it is. */
    public String event(String event, Object data) {
        if (data instanceof RawJson raw) {
            return "{\"data\":" + raw.json() + ",\"event\":" + jsonb.toJson(event) + "}";
        }
        return jsonb.toJson(new EventFrame(event, data));
    }

    /** The JSON of a value, for storing and embedding later as {@link RawJson}. */
    public RawJson json(Object value) {
        return new RawJson(jsonb.toJson(value));
    }

    /** A JSON array of already-encoded elements, in order. */
    public static RawJson array(Iterable<RawJson> elements) {
        StringBuilder out = new StringBuilder("[");
        for (RawJson element : elements) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(element.json());
        }
        return new RawJson(out.append(']').toString());
    }

    /** {@code {"ack": ack, "data": data}}; null data is sent as {@code {}}. */
    public String ack(long ack, Object data) {
        if (data instanceof RawJson raw) {
            return "{\"ack\":" + ack + ",\"data\":" + raw.json() + "}";
        }
        return jsonb.toJson(new AckFrame(ack, data == null ? Map.of() : data));
    }

    /** {@code {"ack": ack, "error": {"code": code, "message": message}}}. */
    public String ackError(long ack, ErrorCode code, String message) {
        return jsonb.toJson(new AckErrorFrame(ack, new ErrorBody(code.name(), message)));
    }

    /** The {@code error} event, for failures of frames that carried no valid ack. */
    public String errorEvent(ErrorCode code, String message, String event) {
        return event("error", new ErrorEvent(code.name(), message, event));
    }

    @Override
    public void close() throws Exception {
        jsonb.close();
    }

    /** Ids travel as plain strings. */
    public static final class SocketIdAdapter implements JsonbAdapter<SocketId, String> {
        @Override
        public String adaptToJson(SocketId id) {
            return id.value();
        }

        @Override
        public SocketId adaptFromJson(String value) {
            return new SocketId(value);
        }
    }
}
