package dev.duplex.apps.location;

import dev.duplex.core.Broadcaster;
import dev.duplex.core.Client;
import dev.duplex.core.EventTable;
import dev.duplex.core.NamespaceApp;
import dev.duplex.core.Payload;
import dev.duplex.core.RoomRegistry;
import dev.duplex.core.Scheduler;
import dev.duplex.core.SharedStates;
import dev.duplex.core.SocketId;
import dev.duplex.core.Target;
import dev.duplex.core.Text;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rules of {@code /location} (PROTOCOL.md section 7). A group's positions go only to its members who
 * share their own: naming a group is not enough to watch it. A newcomer gets an empty list on open and the
 * group's list once its first update is stored. Updates are broadcast at most once per coalescing interval:
 * the first change after a quiet interval goes out at once, later ones within the interval are folded into
 * one deferred broadcast, which sends the list as it is when it fires, so the last list sent always holds
 * every stored update.
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

    private record Member(String group) {
    }

    /** The write of a change that queued nothing. */
    private static final Runnable NOTHING = () -> { };

    private final RoomRegistry rooms;
    private final Broadcaster out;
    private final Clock clock;
    private final Scheduler scheduler;
    private final LocationSettings settings;
    private final SharedStates<Group> groups;
    private final ConcurrentHashMap<SocketId, Member> members = new ConcurrentHashMap<>();

    public LocationService(RoomRegistry rooms, Broadcaster out, Clock clock, Scheduler scheduler,
            LocationSettings settings) {
        this.rooms = rooms;
        this.out = out;
        this.clock = clock;
        this.scheduler = scheduler;
        this.settings = settings;
        // A group is forgotten as soon as nobody is in it, so none is ever idle: past the capacity, refuse.
        this.groups = new SharedStates<>("location groups", Group::new, settings.maxGroups(), group -> false, group -> { });
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

    @Override
    public CompletionStage<?> opened(Client client) {
        String name = client.roomParameter("room");
        members.put(client.id(), new Member(name));
        groups.enter(name, group -> {
            rooms.join(name, client.id());
            return out.emitLater(Target.socket(client.id()), "locations-updated", List.of());
        }).run();
        return null;
    }

    private Object update(Client client, Update update) {
        // With authentication the token names the user and the payload's username is ignored.
        String username = client.authenticatedName()
                .orElseGet(() -> Text.name(Payload.string(update.username(), "username"), "username", 32));
        Member member = members.get(client.id());
        Group group = groups.get(member.group());
        Runnable write;
        synchronized (group) {
            rooms.join(sharing(group.name), client.id());
            group.put(new Entry(client.id(), update.lat(), update.lng(), username, clock.millis()));
            write = broadcastSoon(group);
        }
        write.run();
        return null;
    }

    @Override
    public void closed(Client client) {
        Member member = members.remove(client.id());
        if (member == null) {
            return;
        }
        Runnable write = groups.leave(member.group(), group -> {
            rooms.leave(group.name, client.id());
            rooms.leave(sharing(group.name), client.id());
            return group.remove(client.id()) ? broadcastSoon(group) : NOTHING;
        }, group -> group.isEmpty() && !rooms.exists(group.name));
        if (write != null) {
            write.run();
        }
    }

    /**
     * Queues the list now, or makes sure a deferred send is pending. Called with the group's lock held;
     * returns the write, to run after releasing it.
     */
    private Runnable broadcastSoon(Group group) {
        if (group.flushPending) {
            return NOTHING;
        }
        long now = clock.millis();
        long due = group.lastSentAt + settings.coalesceMillis();
        if (now >= due) {
            return sendLater(group, now);
        }
        group.flushPending = true;
        scheduler.schedule(() -> {
            Runnable write;
            synchronized (group) {
                group.flushPending = false;
                write = sendLater(group, clock.millis());
            }
            write.run();
        }, due - now);
        return NOTHING;
    }

    private Runnable sendLater(Group group, long now) {
        group.lastSentAt = now;
        return out.emitLater(Target.room(sharing(group.name)), "locations-updated", group.list());
    }

    /** The room of a group's members who share their position; '#' never occurs in a group's name. */
    private static String sharing(String group) {
        return group + "#sharing";
    }
}
