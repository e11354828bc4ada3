package dev.duplex.core;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
    public OutgoingText encode(String event, Object data) {
        return new OutgoingText(codec.event(event, data));
    }

    /** Queues the frame for every connection the target names; the result writes them. */
    @Override
    public Runnable sendLater(Target target, OutgoingText frame) {
        List<Client> writers = new ArrayList<>();
        if (target.isAll()) {
            for (Client client : sessions.clients()) {
                offer(client, target, frame, writers);
            }
            return () -> flush(writers);
        }
        boolean single = target.rooms().size() + target.sockets().size() == 1;
        Set<SocketId> seen = single ? null : new HashSet<>();
        for (String room : target.rooms()) {
            for (SocketId id : sessions.rooms().members(room)) {
                if (seen == null || seen.add(id)) {
                    offer(sessions.client(id), target, frame, writers);
                }
            }
        }
        for (SocketId id : target.sockets()) {
            if (seen == null || seen.add(id)) {
                offer(sessions.client(id), target, frame, writers);
            }
        }
        return () -> flush(writers);
    }

    private static void offer(Client client, Target target, OutgoingText frame, List<Client> writers) {
        if (client == null || target.except().contains(client.id())) {
            return;
        }
        try {
            if (client.offer(frame)) {
                writers.add(client);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Queueing for " + client.id() + " failed", e);
        }
    }

    private static void flush(List<Client> writers) {
        for (Client client : writers) {
            try {
                client.flush();
            } catch (RuntimeException e) {
                // One failing receiver never stops the loop for the others.
                LOG.log(Level.WARNING, "Delivery to " + client.id() + " failed", e);
            }
        }
    }
}
