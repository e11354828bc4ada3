package dev.duplex.core;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;

/**
 * Strict readers for event payloads: a wrong type is an {@link ErrorCode#INVALID_PAYLOAD} naming the
 * field by its wire name, never a silent coercion. {@code data} is {@link JsonValue#NULL} when absent.
 */
public final class Payload {
    private Payload() {
    }

    /** {@code data} itself is a string (events whose data is a bare value, such as {@code user-joined}). */
    public static String string(JsonValue data, String field) {
        if (data instanceof JsonString s) {
            return s.getString();
        }
        throw ProtocolError.invalid(field + " must be a string");
    }

    public static boolean bool(JsonValue data, String field) {
        switch (data.getValueType()) {
            case TRUE:
                return true;
            case FALSE:
                return false;
            default:
                throw ProtocolError.invalid(field + " must be a boolean");
        }
    }

    public static JsonObject object(JsonValue data) {
        if (data instanceof JsonObject o) {
            return o;
        }
        throw ProtocolError.invalid("data must be an object");
    }

    public static String string(JsonObject data, String field) {
        return string(data.getOrDefault(field, JsonValue.NULL), field);
    }

    /** Absent or null gives null. */
    public static String optionalString(JsonObject data, String field) {
        JsonValue value = data.get(field);
        return value == null || value.getValueType() == JsonValue.ValueType.NULL ? null : string(value, field);
    }

    /** A finite number within [min, max]. */
    public static double number(JsonObject data, String field, double min, double max) {
        if (data.get(field) instanceof JsonNumber n) {
            double value = n.doubleValue();
            if (Double.isFinite(value) && value >= min && value <= max) {
                return value;
            }
        }
        throw ProtocolError.invalid(field + " must be a number from " + plain(min) + " to " + plain(max));
    }

    /** An integer within [min, max]; {@code 4.0} counts as the integer 4, as it does in JavaScript. */
    public static long integer(JsonValue value, String field, long min, long max) {
        Long integer = integerOrNull(value);
        if (integer == null || integer < min || integer > max) {
            throw ProtocolError.invalid(field + " must be an integer from " + min + " to " + max);
        }
        return integer;
    }

    /** The value as a long if it is a JSON number with an integral value that fits, else null. */
    static Long integerOrNull(JsonValue value) {
        if (!(value instanceof JsonNumber n)) {
            return null;
        }
        BigDecimal decimal = n.bigDecimalValue();
        if (decimal.signum() == 0) {
            return 0L; // 0e20 is zero, whatever its scale says
        }
        // Reject absurd exponents before any arithmetic on them.
        if ((long) decimal.precision() - decimal.scale() > 20) {
            return null;
        }
        try {
            return decimal.stripTrailingZeros().longValueExact();
        } catch (ArithmeticException notIntegral) {
            return null;
        }
    }

    private static String plain(double bound) {
        return bound == Math.rint(bound) ? Long.toString((long) bound) : Double.toString(bound);
    }
}
