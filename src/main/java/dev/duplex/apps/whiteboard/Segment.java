package dev.duplex.apps.whiteboard;

import dev.duplex.core.Payload;
import dev.duplex.core.ProtocolError;
import dev.duplex.core.SocketId;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.regex.Pattern;

/**
 * One line segment of a stroke, as stored and sent back: the known fields of the client's {@code draw}
 * plus the server-known {@code userId}. Validated in {@link #from}: coordinates finite in [0, 10000],
 * {@code #rrggbb} colour, width in [1, 50], optional stroke id of 1-64 characters.
 */
public record Segment(double prevX, double prevY, double x, double y, String color, double width, String strokeId,
        SocketId userId) {
    public static final double MAX_COORDINATE = 10_000;
    private static final Pattern COLOR = Pattern.compile("#[0-9A-Fa-f]{6}");

    static Segment from(JsonValue data, SocketId userId) {
        JsonObject object = Payload.object(data);
        double prevX = Payload.number(object, "prevX", 0, MAX_COORDINATE);
        double prevY = Payload.number(object, "prevY", 0, MAX_COORDINATE);
        double x = Payload.number(object, "x", 0, MAX_COORDINATE);
        double y = Payload.number(object, "y", 0, MAX_COORDINATE);
        String color = Payload.string(object, "color");
        if (!COLOR.matcher(color).matches()) {
            throw ProtocolError.invalid("color must be #rrggbb");
        }
        double width = Payload.number(object, "width", 1, 50);
        String strokeId = Payload.optionalString(object, "strokeId");
        if (strokeId != null && (strokeId.isEmpty() || strokeId.codePointCount(0, strokeId.length()) > 64)) {
            throw ProtocolError.invalid("strokeId must be a string of 1-64 characters");
        }
        return new Segment(prevX, prevY, x, y, color, width, strokeId, userId);
    }
}
