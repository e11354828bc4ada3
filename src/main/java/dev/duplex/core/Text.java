package dev.duplex.core;

import java.util.regex.Pattern;

/**
 * User text rules of PROTOCOL.md section 3: control characters removed, then trimmed, then counted in
 * code points. Nothing else is escaped or stripped: clients render user text as text.
 */
public final class Text {
    private static final Pattern ROOM_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private Text() {
    }

    /** A username: 1 to {@code maxLength} code points after cleaning; {@code field} names it in errors. */
    public static String name(String raw, String field, int maxLength) {
        return bounded(clean(raw, false), field, maxLength);
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
        return (out == null ? raw : out.toString()).strip();
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
