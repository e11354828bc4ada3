package dev.duplex.core;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The recent events of named streams (a chat's lobby, each room): publishing an event through it numbers it
 * (an offset within the stream's epoch), keeps it for a while, and delivers it, all in one order, so that a
 * client can be given what it missed and nothing twice. Connections that asked for positions at the
 * handshake ({@link Client#wantsPositions}) get each event with its {@link Position} and a stream's recent
 * events when they join it; every other connection gets the very frames it got before streams existed.
 *
 * <p>An epoch names one life of a stream: when the store forgets a stream (a node's memory after a restart,
 * a stream idle past every window), its numbering starts again under a new epoch, so an old position can
 * never be read as a new one.
 */
public interface History {
    /**
     * Where an event stands: its stream, the stream's epoch, and its offset there (from 1; 0 stands before the
     * first, for a client that has seen none yet). Names and epochs are the server's own, of
     * {@code [A-Za-z0-9_:-]}, so their JSON needs no escaping.
     */
    record Position(String stream, String epoch, long offset) {
        private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_:-]{1,80}");

        public Position {
            if (!NAME.matcher(stream).matches() || !NAME.matcher(epoch).matches() || offset < 0) {
                throw new IllegalArgumentException("Not a position: " + stream + " " + epoch + " " + offset);
            }
        }

        /**
         * The event frame with this position as one more top-level field, the frame's own bytes first:
         * {@code {"data":...,"event":"...","position":{"stream":"lobby","epoch":"...","offset":17}}}.
         */
        public String into(String frame) {
            return frame.substring(0, frame.length() - 1) + ",\"position\":{\"stream\":\"" + stream
                    + "\",\"epoch\":\"" + epoch + "\",\"offset\":" + offset + "}}";
        }
    }

    /**
     * Up to a limit of a stream's events, oldest first, each the frame as positioned clients got it;
     * {@code more} when older events are still kept; {@code last} the offset of the stream's newest event (0:
     * none yet), where a client that has just been given the page stands. {@code epoch} is null for a stream
     * this node does not have.
     */
    record Page(String stream, String epoch, long last, List<RawJson> events, boolean more) {
        /** {@code {"stream","epoch","last","events":[frames...],"more"}}, the frames embedded as they are. */
        public RawJson json() {
            return new RawJson("{\"stream\":\"" + stream + "\",\"epoch\":" + (epoch == null ? "null" : "\"" + epoch + "\"")
                    + ",\"last\":" + last + ",\"events\":" + Codec.array(events).json() + ",\"more\":" + more + "}");
        }
    }

    /** One stream of a resuming session: the client's last position in it (null: none), and how it joins it. */
    record Rejoin(String stream, Position since, Runnable join) {
    }

    /** How much a stream keeps: at most {@code size} events, none older than {@code maxAgeMillis}. */
    record Limits(int size, long maxAgeMillis, int onJoin, long maxBytes) {
        public Limits {
            if (size < 1 || size > 100_000 || maxAgeMillis < 1_000 || onJoin < 0 || onJoin > size || maxBytes < 1) {
                throw new IllegalArgumentException("history size must be 1 to 100000, its max age at least 1000 ms, "
                        + "the events on join 0 to the size, and its byte budget positive");
            }
        }
    }

    /**
     * Numbers and keeps the event, and sends it to {@code target} (the stream's members) in the stream's order.
     * Returns the event's position, or null where streams keep nothing ({@link #unkept}).
     */
    Position publish(String stream, Target target, String event, Object data);

    /**
     * Makes the client a member of the stream through {@code join} (which joins it to the room its events
     * go to): a positioned client first gets the stream's recent events as one {@code history} event, and then
     * every event published after them, none missing and none twice. Returns what {@code join} returned.
     */
    <T> T join(String stream, Client client, Supplier<T> join);

    /**
     * The events before {@code before} (an offset; null: the newest), at most {@code limit}. Throws
     * {@link ProtocolError} for a position this stream never had ({@code before} past its newest, another
     * epoch than {@code epoch} when one is given).
     */
    Page page(String stream, String epoch, Long before, int limit);

    /**
     * Brings a resuming client back into its streams, judged at one moment: with every one of them held still,
     * whether each still keeps everything after the client's position. Then {@code greet} is told whether all
     * of them do (it queues the client's {@code connected}), and each stream sends, before any live event,
     * either exactly the events the client missed (all recovered) or its recent events as a {@code history}
     * (not: the client starts that stream's view afresh), and joins. Never a partial replay presented as
     * complete. Returns whether everything was recovered.
     */
    boolean resume(Client client, List<Rejoin> streams, Consumer<Boolean> greet);

    /**
     * Streams that keep nothing: events go out as plain frames, joins bring no history and pages are
     * {@link ErrorCode#UNAVAILABLE}. What a cluster has until its streams are kept where every node reads them.
     */
    static History unkept(Broadcaster out) {
        return new History() {
            @Override
            public Position publish(String stream, Target target, String event, Object data) {
                out.emit(target, event, data);
                return null;
            }

            @Override
            public <T> T join(String stream, Client client, Supplier<T> join) {
                return join.get();
            }

            @Override
            public Page page(String stream, String epoch, Long before, int limit) {
                throw new ProtocolError(ErrorCode.UNAVAILABLE, "History is kept on a single node only");
            }

            @Override
            public boolean resume(Client client, List<Rejoin> streams, Consumer<Boolean> greet) {
                boolean recovered = streams.isEmpty();
                greet.accept(recovered);
                streams.forEach(stream -> stream.join().run());
                return recovered;
            }
        };
    }
}
