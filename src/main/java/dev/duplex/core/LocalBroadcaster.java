package dev.duplex.core;

import java.lang.System.Logger.Level;
import java.util.HashSet;
import java.util.Set;

/** Delivers broadcasts to the connections of one namespace on this node. Thread-safe. */
public final class LocalBroadcaster implements Broadcaster {
    private static final System.Logger LOG = System.getLogger(LocalBroadcaster.class.getName());

    private final Codec codec;
    private final SessionRegistry sessions;

    public LocalBroadcaster(Codec codec, SessionRegistry sessions) {
        this.codec = codec;
        this.sessions = sessions;
    }

    @Override
    public void emit(Target target, String event, Object data) {
        deliver(target, codec.event(event, data));
    }

    /** Writes one already-encoded frame to every connection the target names. */
    public void deliver(Target target, String frame) {
        if (target.isAll()) {
            for (Client client : sessions.clients()) {
                offer(client, target, frame);
            }
            return;
        }
        boolean single = target.rooms().size() + target.sockets().size() == 1;
        Set<SocketId> seen = single ? null : new HashSet<>();
        for (String room : target.rooms()) {
            for (SocketId id : sessions.rooms().members(room)) {
                if (seen == null || seen.add(id)) {
                    offer(sessions.client(id), target, frame);
                }
            }
        }
        for (SocketId id : target.sockets()) {
            if (seen == null || seen.add(id)) {
                offer(sessions.client(id), target, frame);
            }
        }
    }

    private static void offer(Client client, Target target, String frame) {
        if (client == null || target.except().contains(client.id())) {
            return;
        }
        try {
            client.send(frame);
        } catch (RuntimeException e) {
            // One failing receiver never stops the loop for the others.
            LOG.log(Level.WARNING, "Delivery to " + client.id() + " failed", e);
        }
    }
}
