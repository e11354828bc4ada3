package dev.duplex.cluster.redis;

import java.nio.charset.StandardCharsets;

/**
 * One numbered entry of a journaled stream, as its log keeps it and its channel carries it:
 * {@code <epoch> <seq> <node> <nonce>\n<entry>}. The epoch names one life of the stream in Redis (a
 * stream Redis lost begins a new one); the node and nonce let the appending node find its waiting answer.
 * Sequence 0 carries no entry: it announces a new epoch ({@code journal-seed.lua}).
 */
record JournalMessage(String epoch, long seq, String node, long nonce, String entry) {
    static JournalMessage parse(byte[] message) {
        return parse(new String(message, StandardCharsets.UTF_8));
    }

    /** Throws {@link IllegalArgumentException} for text that is no message. */
    static JournalMessage parse(String text) {
        int newline = text.indexOf('\n');
        String[] header = (newline < 0 ? "" : text.substring(0, newline)).split(" ");
        if (header.length != 4) {
            throw new IllegalArgumentException("Not a journal message");
        }
        try {
            return new JournalMessage(header[0], Long.parseLong(header[1]), header[2], Long.parseLong(header[3]),
                    text.substring(newline + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Not a journal message: " + e.getMessage());
        }
    }
}
