package dev.duplex.cluster.redis;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A change to one node's presence, as the presence channel carries it: a member joined a scope (or changed
 * its value there), left it, or the node is gone with all of its members. Joins and leaves carry the node's
 * sequence number, so a copy applies each change once and in order, whether it came live or in a snapshot.
 */
record PresenceMessage(Op op, String node, long sequence, String scope, String id, String value) {
    enum Op { JOIN, LEAVE, GONE }

    static PresenceMessage gone(String node) {
        return new PresenceMessage(Op.GONE, node, 0, "", "", "");
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(op.ordinal());
            out.writeUTF(node);
            out.writeLong(sequence);
            out.writeUTF(scope);
            out.writeUTF(id);
            out.writeUTF(value);
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        return bytes.toByteArray();
    }

    static PresenceMessage decode(byte[] message) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(message))) {
            int op = in.readUnsignedByte();
            if (op >= Op.values().length) {
                throw new IllegalArgumentException("Unknown presence operation " + op);
            }
            return new PresenceMessage(Op.values()[op], in.readUTF(), in.readLong(), in.readUTF(), in.readUTF(),
                    in.readUTF());
        } catch (IOException e) {
            throw new IllegalArgumentException("A truncated presence message", e);
        }
    }

    /** The hash field of an entry: scopes and ids never hold a space. */
    static String field(String scope, String id) {
        return scope + " " + id;
    }
}
