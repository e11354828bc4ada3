package dev.duplex.fuzz;

import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.util.Arrays;
import java.util.Map;

/** Checks on what the server wrote, and the printing of reproducers. */
final class Wire {
    /** Looked up once: {@link Json#createReader} looks the provider up again on every call. */
    private static final JsonReaderFactory READERS = JsonProvider.provider().createReaderFactory(Map.of());

    private Wire() {
    }

    /** Parses one JSON text strictly. */
    static JsonValue parse(String json) {
        try (JsonReader reader = READERS.createReader(new StringReader(json))) {
            return reader.readValue();
        }
    }

    /** The index of the first UTF-16 surrogate without its other half, or -1. */
    static int unpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A text frame the server wrote: one JSON object, with no unpaired surrogate in its text nor in any string
     * of it once parsed (an escaped {@code \ud800} is one too). Fails with {@code context} otherwise.
     */
    static JsonObject serverFrame(String text, String context) {
        int raw = unpairedSurrogate(text);
        if (raw >= 0) {
            throw new AssertionError(context + ": the server wrote an unpaired surrogate (U+"
                    + Integer.toHexString(text.charAt(raw)).toUpperCase() + " at " + raw + ") in "
                    + javaLiteral(abbreviate(text)));
        }
        JsonObject frame;
        try (JsonReader reader = READERS.createReader(new StringReader(text))) {
            frame = reader.readObject();
        } catch (RuntimeException e) {
            throw new AssertionError(context + ": the server wrote a frame that is not a JSON object (" + e + "): "
                    + javaLiteral(abbreviate(text)), e);
        }
        String lone = loneSurrogateString(frame);
        if (lone != null) {
            throw new AssertionError(context + ": the server wrote an escaped unpaired surrogate in "
                    + javaLiteral(lone) + " of " + javaLiteral(abbreviate(text)));
        }
        return frame;
    }

    private static String loneSurrogateString(JsonValue value) {
        switch (value.getValueType()) {
            case STRING: {
                String s = ((JsonString) value).getString();
                return unpairedSurrogate(s) >= 0 ? s : null;
            }
            case ARRAY:
                for (JsonValue element : value.asJsonArray()) {
                    String found = loneSurrogateString(element);
                    if (found != null) {
                        return found;
                    }
                }
                return null;
            case OBJECT:
                for (Map.Entry<String, JsonValue> member : value.asJsonObject().entrySet()) {
                    if (unpairedSurrogate(member.getKey()) >= 0) {
                        return member.getKey();
                    }
                    String found = loneSurrogateString(member.getValue());
                    if (found != null) {
                        return found;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    /**
     * An assertion failure for an exception that escaped where only protocol answers may come out, keeping its
     * first stack frames only (a parser's recursion can be a thousand frames deep).
     */
    static AssertionError escaped(String what, Throwable e) {
        StackTraceElement[] trace = e.getStackTrace();
        if (trace.length > 12) {
            e.setStackTrace(Arrays.copyOf(trace, 12));
        }
        return new AssertionError(what, e);
    }

    static String abbreviate(String text) {
        return text.length() <= 600 ? text
                : text.substring(0, 300) + "...(" + text.length() + " chars)..." + text.substring(text.length() - 150);
    }

    /** The text as a Java string literal: ASCII only, so a reproducer survives copying. */
    static String javaLiteral(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
