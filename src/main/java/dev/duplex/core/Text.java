package dev.duplex.core;

import java.util.regex.Pattern;

/**
 * User text rules of PROTOCOL.md section 3: control characters removed, then trimmed, then counted in
 * code points. Nothing else is escaped or stripped from messages: clients render user text as text. Names
 * also lose the invisible characters that let one name pass for another (see {@link #name}).
 */
public final class Text {
    private static final Pattern ROOM_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** How many code points of a client's string an error message repeats. */
    private static final int EXCERPT = 64;

    private Text() {
    }

    /**
     * A username: 1 to {@code maxLength} code points after cleaning; {@code field} names it in errors. Besides
     * control characters, names lose bidirectional controls and invisible format characters (zero-width
     * space, word joiner, soft hyphen, BOM...), which would let "ann" and "a\u200Bnn" look alike or flip
     * the text around them. Zero-width joiners stay: emoji sequences need them. A name must show something.
     */
    public static String name(String raw, String field, int maxLength) {
        String name = bounded(withoutInvisibles(clean(raw, false)).strip(), field, maxLength);
        if (name.codePoints().allMatch(Text::isBlankOrMark)) {
            throw ProtocolError.invalid(field + " must contain a visible character");
        }
        return name;
    }

    /** A message body: line feeds and tabs survive cleaning. */
    public static String message(String raw, String field, int maxLength) {
        return bounded(clean(raw, true), field, maxLength);
    }

    /** A room, board or group name: 1-64 chars of {@code [A-Za-z0-9_-]}, taken as sent. */
    public static String roomName(String raw, String field) {
        if (!ROOM_NAME.matcher(raw).matches()) {
            throw ProtocolError.invalid(field + " must be 1-64 characters of A-Z, a-z, 0-9, _ and -");
        }
        return raw;
    }

    public static boolean isRoomName(String raw) {
        return ROOM_NAME.matcher(raw).matches();
    }

    /**
     * The string with every unpaired UTF-16 surrogate replaced by U+FFFD, or the same instance when it has
     * none. JSON escapes can carry such halves; some runtimes refuse to send them (Tomcat), others send '?'.
     */
    public static String wellFormed(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) {
                if (out != null) {
                    out.append(c).append(text.charAt(i + 1));
                }
                i++;
            } else if (Character.isSurrogate(c)) {
                if (out == null) {
                    out = new StringBuilder(text.length()).append(text, 0, i);
                }
                out.append('\uFFFD');
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    /** At most the first 64 code points of a client's string, for repeating it in an error message. */
    public static String excerpt(String text) {
        if (text.length() <= EXCERPT || text.codePointCount(0, text.length()) <= EXCERPT) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, EXCERPT)) + "\u2026";
    }

    static String clean(String raw, boolean keepLineFeedsAndTabs) {
        StringBuilder out = null;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            boolean drop = isControl(c) && !(keepLineFeedsAndTabs && (c == '\n' || c == '\t'));
            if (drop && out == null) {
                out = new StringBuilder(raw.length()).append(raw, 0, i);
            } else if (!drop && out != null) {
                out.append(c);
            }
        }
        return wellFormed(out == null ? raw : out.toString()).strip();
    }

    private static String withoutInvisibles(String text) {
        if (text.codePoints().noneMatch(Text::isInvisible)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().filter(cp -> !isInvisible(cp)).forEach(out::appendCodePoint);
        return out.toString();
    }

    /** Format characters (Unicode category Cf) but the joiners, and the fillers that render as blanks. */
    private static boolean isInvisible(int cp) {
        if (cp == 0x200C || cp == 0x200D) {
            return false;
        }
        return Character.getType(cp) == Character.FORMAT
                || cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0 || cp == 0x2800;
    }

    private static boolean isBlankOrMark(int cp) {
        int type = Character.getType(cp);
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || type == Character.NON_SPACING_MARK
                || type == Character.ENCLOSING_MARK || type == Character.COMBINING_SPACING_MARK
                || cp == 0x200C || cp == 0x200D;
    }

    private static boolean isControl(char c) {
        return c <= 0x1F || (c >= 0x7F && c <= 0x9F);
    }

    private static String bounded(String text, String field, int maxLength) {
        int length = text.codePointCount(0, text.length());
        if (length < 1 || length > maxLength) {
            throw ProtocolError.invalid(field + " must be 1-" + maxLength + " characters");
        }
        return text;
    }
}
