package dev.duplex.cluster.redis;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A change to one node's presence entries, as the presence channel carries it: a member joined a scope (or
 * changed its value there), left it, a window's worth of such changes to scopes told in batches, or the node
 * states all of its entries at once (after Redis lost or missed some of them). Each carries the node's
 * sequence number (a batch its last), so a copy applies each change once and in order, whether it came live
 * or in a snapshot.
 */
sealed interface PresenceMessage {
    String node();

    long sequence();

    /** A member joined a scope or changed its value there ({@code value} non-null), or left it (null). */
    record Change(String node, long sequence, String scope, String id, String value) implements PresenceMessage {
    }

    /**
     * Changes a node held back for a window ({@link RedisPresence#batch}), in order, numbered up to
     * {@code sequence}; the node announced none of them to anyone, so every copy announces them to its own.
     */
    record Batch(String node, long sequence, List<Change> changes) implements PresenceMessage {
    }

    /** Every entry of the node, as hash fields ({@link #field}) to values: whatever else a copy holds of it is gone. */
    record Reset(String node, long sequence, Map<String, String> entries) implements PresenceMessage {
    }

    byte JOIN = 0;
    byte LEAVE = 1;
    byte RESET = 2;
    byte BATCH = 3;

    default byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            if (this instanceof Change change) {
                out.writeByte(change.value() == null ? LEAVE : JOIN);
                out.writeUTF(node());
                out.writeLong(sequence());
                out.writeUTF(change.scope());
                out.writeUTF(change.id());
                out.writeUTF(change.value() == null ? "" : change.value());
            } else if (this instanceof Batch batch) {
                out.writeByte(BATCH);
                out.writeUTF(node());
                out.writeLong(sequence());
                out.writeInt(batch.changes().size());
                for (Change change : batch.changes()) {
                    out.writeUTF(change.scope());
                    out.writeUTF(change.id());
                    out.writeBoolean(change.value() != null);
                    out.writeUTF(change.value() == null ? "" : change.value());
                }
            } else {
                Reset reset = (Reset) this;
                out.writeByte(RESET);
                out.writeUTF(node());
                out.writeLong(sequence());
                out.writeInt(reset.entries().size());
                for (Map.Entry<String, String> entry : reset.entries().entrySet()) {
                    out.writeUTF(entry.getKey());
                    out.writeUTF(entry.getValue());
                }
            }
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        return bytes.toByteArray();
    }

    static PresenceMessage decode(byte[] message) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(message))) {
            int op = in.readUnsignedByte();
            String node = in.readUTF();
            long sequence = in.readLong();
            switch (op) {
                case JOIN, LEAVE -> {
                    String scope = in.readUTF();
                    String id = in.readUTF();
                    String value = in.readUTF();
                    return new Change(node, sequence, scope, id, op == JOIN ? value : null);
                }
                case BATCH -> {
                    int count = in.readInt();
                    if (count < 0) {
                        throw new IllegalArgumentException("A negative change count");
                    }
                    List<Change> changes = new ArrayList<>();
                    for (int i = 0; i < count; i++) {
                        String scope = in.readUTF();
                        String id = in.readUTF();
                        boolean present = in.readBoolean();
                        String value = in.readUTF();
                        changes.add(new Change(node, sequence, scope, id, present ? value : null));
                    }
                    return new Batch(node, sequence, changes);
                }
                case RESET -> {
                    int count = in.readInt();
                    if (count < 0) {
                        throw new IllegalArgumentException("A negative entry count");
                    }
                    Map<String, String> entries = new LinkedHashMap<>();
                    for (int i = 0; i < count; i++) {
                        entries.put(in.readUTF(), in.readUTF());
                    }
                    return new Reset(node, sequence, entries);
                }
                default -> throw new IllegalArgumentException("Unknown presence operation " + op);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("A truncated presence message", e);
        }
    }

    /** The hash field of an entry: scopes and ids never hold a space. */
    static String field(String scope, String id) {
        return scope + " " + id;
    }
}
