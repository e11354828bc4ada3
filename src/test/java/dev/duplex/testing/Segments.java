package dev.duplex.testing;

/** Whiteboard segments for tests that draw many: valid, alike but for their stroke and start. */
public final class Segments {
    private Segments() {
    }

    /** A valid {@code draw} payload from {@code (prevX, 2)} with its own stroke id. */
    public static String json(String strokeId, int prevX) {
        return "{\"prevX\":" + prevX + ",\"prevY\":2,\"x\":3.5,\"y\":4.25,\"color\":\"#123456\",\"width\":5,"
                + "\"strokeId\":\"" + strokeId + "\"}";
    }
}
