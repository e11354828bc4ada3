package dev.duplex.core;

import java.time.Clock;

/**
 * Where a namespace's connections are: on this node alone ({@link #LOCAL}), or spread over the nodes of a
 * cluster. The one seam between the apps and the cluster: apps send through the {@link Broadcaster}, ask
 * the {@link Presence} who is where, change shared state through a {@link Journal}, and wait for
 * {@link RoomRegistry#ready} where it matters, and never know
 * which topology they run in.
 */
public interface Topology {
    /** What one namespace is built from. */
    interface Parts {
        /** Told of each room's first member and last departure on this node. */
        RoomRegistry.Listener rooms();

        /** Sends to the namespace's connections, wherever they are; called once, before any connection. */
        Broadcaster broadcaster(SessionRegistry sessions);

        Presence presence();

        /** Where the namespace's shared state is journaled; after {@link #broadcaster}. */
        Journals journals();

        /**
         * Where the namespace's streams keep their recent events; after {@link #broadcaster}. A stream's
         * numbering outlives its events by {@code windowMillis}, the time a client may come back to resume.
         */
        History history(History.Limits limits, Clock clock, long windowMillis);
    }

    /** This node alone: everything in memory, as before there were clusters. */
    Topology LOCAL = new Topology() {
        @Override
        public Parts namespace(String path, Codec codec) {
            Presence presence = new LocalPresence();
            return new Parts() {
                private LocalBroadcaster broadcaster;

                @Override
                public RoomRegistry.Listener rooms() {
                    return RoomRegistry.LOCAL;
                }

                @Override
                public Broadcaster broadcaster(SessionRegistry sessions) {
                    broadcaster = new LocalBroadcaster(codec, sessions);
                    return broadcaster;
                }

                @Override
                public Presence presence() {
                    return presence;
                }

                @Override
                public Journals journals() {
                    return Journals.local(broadcaster);
                }

                @Override
                public History history(History.Limits limits, Clock clock, long windowMillis) {
                    return new LocalHistory(broadcaster, clock, limits, windowMillis);
                }
            };
        }

        @Override
        public SocketId newSocketId() {
            return SocketId.random();
        }
    };

    Parts namespace(String path, Codec codec);

    /** A new connection's id; in a cluster it names this node. */
    SocketId newSocketId();

    /** Shutdown: this node's members leave everyone's presence at once, before its connections close. */
    default void leave() {
    }

    /** Releases the topology's connections and threads. */
    default void close() {
    }
}
