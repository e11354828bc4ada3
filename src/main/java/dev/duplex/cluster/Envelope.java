package dev.duplex.cluster;

import dev.duplex.core.SocketId;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One broadcast between nodes: the node it comes from (so that node drops its own echo), the sockets it is
 * for (on a node channel), the sockets it skips, and the frame exactly as the sending node encoded it, so
 * no receiving node encodes it again. Binary: a version byte, the origin, two counted lists of ids, then the
 * frame's UTF-8 to the end.
 */
public record Envelope(String origin, Set<SocketId> sockets, Set<SocketId> except, String text) {
    private static final int VERSION = 1;

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length() + 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(origin);
            writeIds(out, sockets);
            writeIds(out, except);
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        return bytes.toByteArray();
    }

    /** Reads an envelope; throws {@link IllegalArgumentException} for bytes that are not one. */
    public static Envelope decode(byte[] message) {
        ByteArrayInputStreamWithPosition in = new ByteArrayInputStreamWithPosition(message);
        try (DataInputStream data = new DataInputStream(in)) {
            int version = data.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("Envelope version " + version + " is not " + VERSION);
            }
            String origin = data.readUTF();
            Set<SocketId> sockets = readIds(data);
            Set<SocketId> except = readIds(data);
            String text = new String(message, in.position(), message.length - in.position(), StandardCharsets.UTF_8);
            return new Envelope(origin, sockets, except, text);
        } catch (IOException e) {
            throw new IllegalArgumentException("A truncated envelope", e);
        }
    }

    private static void writeIds(DataOutputStream out, Set<SocketId> ids) throws IOException {
        out.writeShort(ids.size());
        for (SocketId id : ids) {
            out.writeUTF(id.value());
        }
    }

    private static Set<SocketId> readIds(DataInputStream in) throws IOException {
        int count = in.readUnsignedShort();
        Set<SocketId> ids = new LinkedHashSet<>(count * 2);
        for (int i = 0; i < count; i++) {
            ids.add(new SocketId(in.readUTF()));
        }
        return ids;
    }

    /** Says how far reading got, so the frame's bytes are decoded in place of being read again. */
    private static final class ByteArrayInputStreamWithPosition extends java.io.ByteArrayInputStream {
        ByteArrayInputStreamWithPosition(byte[] bytes) {
            super(bytes);
        }

        int position() {
            return pos;
        }
    }
}
