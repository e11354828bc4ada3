package dev.duplex.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * A structure-aware generator of JSON-ish text driven by the fuzzer's bytes: values nested normally and past
 * the parser's limits, numbers of every shape (long literals, huge exponents), strings with escapes, control
 * characters and lone UTF-16 surrogates, and user text of known validity. Every generated piece says whether
 * the server must refuse it ({@link V#INVALID}), must accept it ({@link V#VALID}), or may do either.
 * When the bytes run out every choice takes its first option, so generation always ends.
 */
final class Gen {
    /** Whether the protocol lets the server accept a piece. */
    enum V {
        VALID, INVALID, UNKNOWN;

        V and(V other) {
            if (this == INVALID || other == INVALID) {
                return INVALID;
            }
            return this == UNKNOWN || other == UNKNOWN ? UNKNOWN : VALID;
        }
    }

    /** A piece of JSON text and what the server must make of it. */
    record J(String json, V v) {
        static J valid(String json) {
            return new J(json, V.VALID);
        }

        static J invalid(String json) {
            return new J(json, V.INVALID);
        }

        static J unknown(String json) {
            return new J(json, V.UNKNOWN);
        }
    }

    /** A Java string of known validity as user text. */
    record T(String text, V v) {
    }

    /** Pieces of user text: letters, scripts, emoji (surrogate pairs), markup, quotes. Never white space or controls. */
    private static final String[] SAFE = {"a", "Z", "7", "é", "ß", "中", "文", "😀", "🎉", "-", "_", ".", "<", ">", "&",
        "'", "\"", "\\", "/", "e\u0301", "\u05d0", "\u0644", "\ud83d\udc69\u200d\ud83d\udcbb", "\udbff\udfff"};
    /** Pieces the server has to think about: white space, controls, format characters, lone surrogates. */
    private static final String[] HOSTILE = {" ", "\t", "\n", "\r", "\u0000", "\u0001", "\u001f", "\u007f", "\u0085",
        "\u009f", "\u00a0", "\u2003", "\u3000", "\u2028", "\u2029", "\u200b", "\u200d", "\u202e", "\ufeff", "\ufffd",
        "\ufffe", "\uffff", "\ud800", "\udbff", "\udc00", "\udfff", "\ud83d", "\ude00", "<script>alert(1)</script>",
        "${jndi:ldap://x}", "%s%n", "\u0000\u0000", "\\u0000", "__proto__"};
    /** White space that {@link String#strip()} removes and controls that cleaning removes. */
    private static final String[] PADDING = {" ", "  ", "\t", "\n", "\r\n", "\u2003", "\u3000", "\u0001", "\u001f",
        "\u007f", "\u0085"};
    private static final String[] JSON_WHITESPACE = {"", "", "", " ", "\n", "\t", "\r", "  \n  "};

    final FuzzedDataProvider in;
    /** Whether lone surrogates may appear unescaped in the text (never on a real socket: UTF-8 cannot carry them). */
    private final boolean rawSurrogates;
    private boolean exotic;
    /** Whether this frame's JSON has white space between its tokens. */
    private boolean spacious;
    /** Whether a string of this frame has a lone surrogate, escaped or not. */
    private boolean lone;

    Gen(FuzzedDataProvider in, boolean rawSurrogates) {
        this.in = in;
        this.rawSurrogates = rawSurrogates;
    }

    // ---- choices ---------------------------------------------------------------------------------------

    /** 0 to n-1; 0 once the bytes are used up. */
    int pick(int n) {
        return in.remainingBytes() == 0 ? 0 : in.consumeInt(0, n - 1);
    }

    int between(int min, int max) {
        return in.remainingBytes() == 0 ? min : in.consumeInt(min, max);
    }

    /** True with about that probability; false once the bytes are used up. */
    boolean chance(int percent) {
        return in.remainingBytes() > 0 && in.consumeInt(0, 99) < percent;
    }

    <X> X oneOf(List<X> options) {
        return options.get(pick(options.size()));
    }

    String oneOf(String... options) {
        return options[pick(options.length)];
    }

    /** Whether anything past the parser's limits (nesting, number length, exponent range) was generated. */
    boolean exotic() {
        return exotic;
    }

    /** Starts a frame: nothing exotic yet, and white space between tokens or not. */
    void startFrame() {
        exotic = false;
        lone = false;
        spacious = chance(15);
    }

    /** Whether a string generated since {@link #startFrame()} holds a lone surrogate. */
    boolean loneSurrogate() {
        return lone;
    }

    /** White space between tokens, in spacious frames. */
    String ws() {
        return spacious ? oneOf(JSON_WHITESPACE) : "";
    }

    // ---- strings ---------------------------------------------------------------------------------------

    /**
     * The JSON string literal of {@code value}: escaped only where JSON (or a socket, for lone surrogates)
     * requires, or every character as {@code \}{@code uXXXX}, or each character as the bytes say.
     */
    String quote(String value) {
        int mode = value.isEmpty() ? 0 : pick(10);
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean lone = Character.isHighSurrogate(c)
                    ? i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))
                    : Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(value.charAt(i - 1)));
            this.lone |= lone;
            boolean mustEscape = c < 0x20 || c == '"' || c == '\\' || (lone && !rawSurrogates);
            int how = mode == 8 ? 2 : mode < 8 || value.length() > 200 ? (mustEscape ? 1 : 0)
                    : pick(mustEscape ? 2 : 8) + (mustEscape ? 1 : 0);
            if (how == 0 || how > 2) {
                out.append(c);
            } else if (how == 1 && shortEscape(c) != null) {
                out.append(shortEscape(c));
            } else {
                out.append(String.format(mode == 8 || chance(50) ? "\\u%04x" : "\\u%04X", (int) c));
            }
        }
        return out.append('"').toString();
    }

    private static String shortEscape(char c) {
        return switch (c) {
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            case '\n' -> "\\n";
            case '\t' -> "\\t";
            case '\r' -> "\\r";
            case '\b' -> "\\b";
            case '\f' -> "\\f";
            case '/' -> "\\/";
            default -> null;
        };
    }

    /** Any text: safe and hostile pieces, sometimes repeated up to a length limit. */
    String anyText() {
        StringBuilder out = new StringBuilder();
        int pieces = pick(7);
        for (int i = 0; i < pieces; i++) {
            String piece = chance(50) ? oneOf(SAFE) : oneOf(HOSTILE);
            out.append(chance(10) ? piece.repeat(oneOf(List.of(31, 32, 33, 63, 64, 65, 499, 500, 501))) : piece);
        }
        if (chance(15)) {
            out.append(in.consumeString(between(0, 40)));
        }
        return out.toString();
    }

    /** {@code length} code points of safe pieces that are one code point each, so the count is exact. */
    private String safeCodePoints(int length) {
        StringBuilder out = new StringBuilder();
        String repeated = chance(30) ? oneOf("a", "😀", "中", "\udbff\udfff") : null;
        for (int i = 0; i < length; i++) {
            out.append(repeated != null ? repeated : oneOf("a", "Z", "7", "é", "中", "😀", "-", "<", "'", "\"", "\\"));
        }
        return out.toString();
    }

    /**
     * User text (usernames, messages) with what the rules of PROTOCOL.md section 3 make of it: controls
     * removed, then trimmed, then 1 to {@code max} code points.
     */
    T userText(int max, boolean message) {
        switch (pick(8)) {
            case 0, 1, 2: {
                // A word: certainly valid.
                return new T(safeCodePoints(between(1, Math.min(max, 12))), V.VALID);
            }
            case 3: {
                // Right at the limit, padded with what cleaning and trimming remove: still valid.
                String core = safeCodePoints(max);
                String padded = oneOf(PADDING) + core + oneOf(PADDING);
                return new T(chance(50) ? core : padded, V.VALID);
            }
            case 4: {
                // One past the limit, or more: invalid.
                return new T(safeCodePoints(max + between(1, 40)), V.INVALID);
            }
            case 5: {
                // Nothing left after cleaning and trimming: invalid.
                StringBuilder out = new StringBuilder();
                int pieces = pick(4);
                for (int i = 0; i < pieces; i++) {
                    out.append(oneOf(PADDING));
                }
                return new T(out.toString(), V.INVALID);
            }
            case 6: {
                // Controls inside a word vanish (a message keeps its line feeds and tabs, which count).
                String control = message ? oneOf("\u0000", "\u0001", "\u007f", "\u009f", "\r")
                        : oneOf("\u0000", "\n", "\t", "\u001f", "\u0085");
                return new T("ab" + control + "cd", V.VALID);
            }
            default:
                return new T(anyText(), V.UNKNOWN);
        }
    }

    /** A user-text field's value: mostly a string, sometimes another JSON type (invalid). */
    J userTextJson(int max, boolean message) {
        if (chance(8)) {
            return J.invalid(notAString());
        }
        T text = userText(max, message);
        return new J(quote(text.text()), text.v());
    }

    /** A JSON value that is not a string (and not exotic). */
    String notAString() {
        return oneOf("null", "true", "false", "0", "1", "-1.5", "[]", "[\"a\"]", "{}", "{\"a\":\"b\"}");
    }

    // ---- numbers ---------------------------------------------------------------------------------------

    /** A number literal of any shape; past the parser's limits now and then. */
    String number() {
        if (chance(10)) {
            return exoticNumber();
        }
        return switch (pick(12)) {
            case 0 -> Integer.toString(in.consumeInt());
            case 1 -> Long.toString(in.consumeLong());
            case 2 -> Double.toString(in.consumeRegularDouble());
            case 3 -> oneOf("0", "-0", "0.0", "-0.0", "0e0", "0E-0", "1e0", "1E+2", "2.5e-3");
            case 4 -> oneOf("1e308", "1.7976931348623157e308", "1e309", "-1e309", "4.9e-324", "1e-400", "2e-1074");
            case 5 -> oneOf("9007199254740991", "9007199254740992", "9223372036854775807", "9223372036854775808",
                    "-9223372036854775809", "18446744073709551616", "99999999999999999999");
            case 6 -> between(0, 8) + oneOf("", ".0", ".5", "e0", "E-0", ".0000000000000000001", ".99999999999999999");
            case 7 -> oneOf("1", "7", "10000", "10000.0", "10000.0001", "1e4", "-1", "90", "90.0000001", "-180", "180.5");
            default -> Integer.toString(between(-10, 20000));
        };
    }

    /** A number literal past the limits of the JSON parser under Duplex: long literals, huge exponents. */
    String exoticNumber() {
        exotic = true;
        int length = oneOf(List.of(1_000, 1_099, 1_100, 1_101, 1_102, 1_200, 5_000, between(1_090, 1_110)));
        return switch (pick(9)) {
            case 0 -> "1".repeat(length);
            case 1 -> "-" + "9".repeat(length);
            case 2 -> "0." + "0".repeat(length) + "1";
            case 3 -> "7." + "0".repeat(length);
            case 4 -> "1" + "0".repeat(length) + "e-" + length;
            case 5 -> oneOf("1", "0", "7", "-1", "1.5", "0.0") + oneOf("e", "E") + oneOf("", "+", "-")
                    + oneOf("999999999999", "2147483648", "2147483647", "4294967296", "99999999999999999999",
                            "1" + "0".repeat(30), "000000000000000000001");
            case 6 -> oneOf("1e-2147483648", "0e-2147483648", "0.0e-2147483647", "1.5e-2147483647", "1e2147483648",
                    "10e2147483647", "0.1e-2147483648");
            case 7 -> "1e" + "9".repeat(between(10, 40));
            default -> "0." + "1234567890".repeat(length / 10 + 1);
        };
    }

    // ---- values ----------------------------------------------------------------------------------------

    /** Any JSON value, nested at most {@code depth} more levels; past the parser's limits now and then. */
    String value(int depth) {
        int choice = pick(depth > 0 ? 12 : 7);
        switch (choice) {
            case 0:
                return "null";
            case 1:
                return oneOf("true", "false");
            case 2, 3:
                return number();
            case 4, 5:
                return quote(anyText());
            case 6:
                return chance(20) ? deep() : quote(anyText());
            case 7, 8: {
                StringBuilder out = new StringBuilder("[").append(ws());
                int size = pick(5);
                for (int i = 0; i < size; i++) {
                    out.append(i > 0 ? "," : "").append(ws()).append(value(depth - 1)).append(ws());
                }
                return out.append(']').toString();
            }
            default: {
                StringBuilder out = new StringBuilder("{").append(ws());
                int size = pick(5);
                for (int i = 0; i < size; i++) {
                    String key = chance(50) ? oneOf("event", "data", "ack", "a", "", "__proto__", "constructor")
                            : anyText();
                    out.append(i > 0 ? "," : "").append(ws()).append(quote(key)).append(ws()).append(':').append(ws())
                            .append(value(depth - 1)).append(ws());
                }
                return out.append('}').toString();
            }
        }
    }

    /** Arrays and objects nested around and past the parser's depth limit (about 1,000). */
    String deep() {
        exotic = true;
        int depth = oneOf(List.of(500, 998, 999, 1_000, 1_001, 5_000, between(990, 1_010)));
        String leaf = oneOf("", "0", "\"x\"", "null", "{}", "[]");
        return switch (pick(4)) {
            case 0 -> "[".repeat(depth) + leaf + "]".repeat(depth);
            case 1 -> "{\"a\":".repeat(depth) + (leaf.isEmpty() ? "0" : leaf) + "}".repeat(depth);
            case 2 -> "[{\"a\":".repeat(depth / 2) + (leaf.isEmpty() ? "0" : leaf) + "}]".repeat(depth / 2);
            default -> "[".repeat(depth) + leaf; // never closed
        };
    }

    /** Pieces of text that break JSON wherever they go. */
    String notJson() {
        return oneOf("NaN", "-NaN", "Infinity", "-Infinity", "undefined", "'x'", "01", "1.", ".5", "+1", "-", "1e",
                "0x10", "tru", "nul", "\"\\x\"", "\"\\u12\"", "\"\\ud800\\u\"", "\"a\nb\"", "\"\u0000\"", "[1,]",
                "{\"a\"}", "{\"a\":}", "{a:1}", "/*c*/1", "1 2", "\"", "[", "{", "]", "}", "\u00a01", "\ufeff1");
    }

    List<String> shuffled(List<String> members) {
        List<String> left = new ArrayList<>(members);
        List<String> out = new ArrayList<>();
        while (!left.isEmpty()) {
            out.add(left.remove(pick(left.size())));
        }
        return out;
    }

    /**
     * A JSON object with these members in the order the bytes choose, with white space, and now and then an
     * unknown member (which the server ignores).
     */
    String object(List<String> members) {
        List<String> all = new ArrayList<>(members);
        if (chance(15)) {
            all.add(quote(oneOf("extra", "userId", "from", "id", "timestamp", "Event", "ACK", "__proto__")) + ":"
                    + value(2));
        }
        StringBuilder out = new StringBuilder("{").append(ws());
        List<String> ordered = shuffled(all);
        for (int i = 0; i < ordered.size(); i++) {
            out.append(i > 0 ? "," : "").append(ws()).append(ordered.get(i)).append(ws());
        }
        return out.append('}').toString();
    }

    /** {@code "name":value}. */
    String member(String name, String valueJson) {
        return quote(name) + ws() + ":" + ws() + valueJson;
    }
}
