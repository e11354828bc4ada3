package dev.duplex.apps.location;

import dev.duplex.core.Broadcaster;
import dev.duplex.core.Client;
import dev.duplex.core.EventTable;
import dev.duplex.core.Journal;
import dev.duplex.core.Journals;
import dev.duplex.core.NamespaceApp;
import dev.duplex.core.Payload;
import dev.duplex.core.Presence;
import dev.duplex.core.RoomRegistry;
import dev.duplex.core.Scheduler;
import dev.duplex.core.SharedStates;
import dev.duplex.core.SocketId;
import dev.duplex.core.StreamCopy;
import dev.duplex.core.Target;
import dev.duplex.core.Text;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rules of {@code /location} (PROTOCOL.md section 7). A group's positions go only to its members who
 * share their own: naming a group is not enough to watch it. A newcomer gets an empty list on open and the
 * group's list once its first update is stored. Updates are broadcast at most once per coalescing interval:
 * the first change after a quiet interval goes out at once, later ones within the interval are folded into
 * one deferred broadcast, which sends the list as it is when it fires, so the last list sent always holds
 * every stored update.
 *
 * <p>A group changes only through its {@link Journal}: every stored or removed position is an entry, applied
 * by {@link Rules} under the group's lock. On a node alone at once; in a cluster every node with members in
 * the group holds a copy and coalesces for its own members. Sharers are present in the {@code sharers}
 * scope (with their group), so that when a node dies the others remove its members' positions.
 */
public final class LocationService implements NamespaceApp {
    /** One member's last known position, as {@code locations-updated} lists it. */
    public record Entry(SocketId id, double lat, double lng, String username, long timestamp) {
    }

    private record Update(double lat, double lng, JsonValue username) {
        static Update from(JsonValue data) {
            JsonObject object = Payload.object(data);
            return new Update(Payload.number(object, "lat", -90, 90), Payload.number(object, "lng", -180, 180),
                    object.getOrDefault("username", JsonValue.NULL));
        }
    }

    /** A connection's group, and whether it shares its position there (its own line only touches it). */
    private static final class Member {
        final String group;
        boolean sharing;

        Member(String group) {
            this.group = group;
        }
    }

    /** The write of a change that queued nothing. */
    private static final Runnable NOTHING = () -> { };
    private static final String SHARERS = "sharers";

    private final RoomRegistry rooms;
    private final Broadcaster out;
    private final Presence presence;
    private final Clock clock;
    private final Scheduler scheduler;
    private final LocationSettings settings;
    private final Journal<LocationEntry> journal;
    private final SharedStates<Group> groups;
    private final ConcurrentHashMap<SocketId, Member> members = new ConcurrentHashMap<>();

    public LocationService(RoomRegistry rooms, Broadcaster out, Presence presence, Journals journals, Clock clock,
            Scheduler scheduler, LocationSettings settings) {
        this.rooms = rooms;
        this.out = out;
        this.presence = presence;
        this.clock = clock;
        this.scheduler = scheduler;
        this.settings = settings;
        this.journal = journals.open("location groups", new Rules(), LocationEntry.FORMAT);
        // A group is forgotten as soon as nobody is in it, so none is ever idle: past the capacity, refuse.
        this.groups = new SharedStates<>("location groups", Group::new, settings.maxGroups(), group -> false,
                group -> group.copy.drop());
        presence.onReconciled(this::reconciled);
    }

    @Override
    public String path() {
        return "/location";
    }

    @Override
    public void register(EventTable events) {
        events.on("update-location", Update::from, this::update)
                .limit(settings.updates(), "update-location");
    }

    @Override
    public void admit(Client client) {
        client.roomParameter("room");
    }

    /** The connection's updates wait until this node's copy of its group is current (on a node alone: at once). */
    @Override
    public CompletionStage<?> opened(Client client) {
        String name = client.roomParameter("room");
        members.put(client.id(), new Member(name));
        return StreamCopy.join(groups, name, group -> group.copy, journal, group -> {
            rooms.join(name, client.id());
            return out.emitLater(Target.socket(client.id()), "locations-updated", List.of());
        }, this::unused, "group");
    }

    private CompletionStage<Object> update(Client client, Update update) {
        // With authentication the token names the user and the payload's username is ignored.
        String username = client.authenticatedName()
                .orElseGet(() -> Text.name(Payload.string(update.username(), "username"), "username", 32));
        Member member = members.get(client.id());
        if (!member.sharing) {
            member.sharing = true;
            // In the room before the entry is applied, so the sharer gets the list with its own position.
            rooms.join(sharing(member.group), client.id());
            presence.join(SHARERS, client.id(), member.group);
        }
        return journal.append(member.group, new LocationEntry.Put(
                new Entry(client.id(), update.lat(), update.lng(), username, clock.millis())));
    }

    @Override
    public void closed(Client client) {
        Member member = members.remove(client.id());
        if (member == null) {
            return;
        }
        // Out of the rooms first: the list without the leaver goes to those who stay.
        groups.ifPresent(member.group, group -> {
            rooms.leave(group.name, client.id());
            rooms.leave(sharing(group.name), client.id());
            return NOTHING;
        });
        if (member.sharing) {
            presence.leave(SHARERS, client.id());
            journal.append(member.group, new LocationEntry.Remove(client.id()));
        }
        groups.leave(member.group, group -> NOTHING, this::unused);
    }

    /** Nobody here is in the group or arriving; on a node alone its list must be empty too. */
    private boolean unused(Group group) {
        return group.copy.unused(rooms.exists(group.name), group.isEmpty(), journal);
    }

    /** A sharer of another node went with its node: its position goes, from every node that learns of it. */
    private void reconciled(SocketId id, Map<String, String> before, Map<String, String> after, Broadcaster here) {
        String group = before.get(SHARERS);
        if (group != null && !after.containsKey(SHARERS)) {
            journal.append(group, new LocationEntry.Remove(id));
        }
    }

    /**
     * Queues the list now, or makes sure a deferred send is pending, to this node's sharers through
     * {@code here}. Called with the group's lock held; returns the write, to run after releasing it.
     */
    private Runnable broadcastSoon(Group group, Broadcaster here) {
        if (group.flushPending) {
            return NOTHING;
        }
        long now = clock.millis();
        long due = group.lastSentAt + settings.coalesceMillis();
        if (now >= due) {
            return sendLater(group, here, now);
        }
        group.flushPending = true;
        scheduler.schedule(() -> {
            Runnable write;
            synchronized (group) {
                group.flushPending = false;
                write = sendLater(group, here, clock.millis());
            }
            write.run();
        }, due - now);
        return NOTHING;
    }

    private Runnable sendLater(Group group, Broadcaster here, long now) {
        group.lastSentAt = now;
        return here.emitLater(Target.room(sharing(group.name)), "locations-updated", group.list());
    }

    /** The room of a group's members who share their position; '#' never occurs in a group's name. */
    private static String sharing(String group) {
        return group + "#sharing";
    }

    /** The rules that turn a group's entries into its list, the same on every node. */
    private final class Rules implements Journal.Machine<LocationEntry> {
        @Override
        public Object apply(String name, LocationEntry entry, Broadcaster here) {
            Runnable write = groups.ifPresent(name, group -> {
                boolean changed;
                if (entry instanceof LocationEntry.Put put) {
                    group.put(put.entry());
                    changed = true;
                } else {
                    changed = group.remove(((LocationEntry.Remove) entry).id());
                }
                // A copy rebuilt from entries its sharers have seen sends nothing (and schedules nothing).
                return changed && here != Broadcaster.NONE ? broadcastSoon(group, here) : NOTHING;
            });
            if (write != null) {
                write.run();
            }
            return null;
        }

        @Override
        public void reset(String name) {
            groups.ifPresent(name, group -> {
                group.clear();
                return NOTHING;
            });
        }

        @Override
        public void rebuilt(String name, Broadcaster here) {
            Runnable write = groups.ifPresent(name, group -> broadcastSoon(group, here));
            if (write != null) {
                write.run();
            }
        }

        @Override
        public List<LocationEntry> snapshot(String name) {
            List<LocationEntry> entries = groups.ifPresent(name,
                    group -> group.list().stream().<LocationEntry>map(LocationEntry.Put::new).toList());
            return entries == null ? List.of() : entries;
        }
    }
}
