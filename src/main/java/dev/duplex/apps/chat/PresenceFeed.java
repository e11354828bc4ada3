package dev.duplex.apps.chat;

import dev.duplex.apps.chat.ChatEvents.CoalescedRoom;
import dev.duplex.apps.chat.ChatEvents.JoinedRoom;
import dev.duplex.apps.chat.ChatEvents.LobbyDiff;
import dev.duplex.apps.chat.ChatEvents.OnlineUser;
import dev.duplex.apps.chat.ChatEvents.RoomDiff;
import dev.duplex.core.Broadcaster;
import dev.duplex.core.Member;
import dev.duplex.core.OutgoingText;
import dev.duplex.core.Presence;
import dev.duplex.core.Scheduler;
import dev.duplex.core.SocketId;
import dev.duplex.core.Target;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the members of each chat scope (the lobby, a room) are told of its membership. A scope of at most
 * {@code coalesce-above} members is told <em>singly</em>: every join, rename and leave is an event of its
 * own, as PROTOCOL.md section 4 has them. A larger scope is <em>coalesced</em>, so that a join costs the same
 * in a lobby of ten thousand as in one of a thousand: its members get at most one {@code presence-diff} per
 * window, encoded once for all of them, with the exact total and what changed on the scope's first page (its
 * first {@code page-size} members in {@link Member} order); a joiner gets that first page and the total, and
 * asks for further pages or a name with {@code list-users}. Sending every change to every member instead
 * would cost each join a frame per member: quadratic in the scope's size however it is batched.
 *
 * <p>A scope becomes coalesced when it grows past the threshold and singly again when it shrinks to half of
 * it, so that a scope hovering at the threshold does not switch at every join. At each switch every member
 * on this node gets a fresh view of the new kind ({@code online-users}, or {@code joined-room} for a room)
 * before anything else of the scope. Each node coalesces for its own connections from its own copy of the
 * presence, and while a scope is coalesced, its changes travel to the other nodes in one message per window
 * too ({@link Presence#batch}), which those nodes announce to their own as their own news.
 *
 * <p>Threads: per scope, changes, joiners' views and the window's flush are serialised by a lock, so that no
 * member gets a single event after a view that already holds it, or a diff that does not start from the
 * page it holds. Under the lock frames only take their place in the receivers' queues; the feed's own
 * frames are written after it is released ({@link Broadcaster#emitLater}), so that a diff to thousands
 * never holds up the next join.
 */
final class PresenceFeed {
    /**
     * What a coalesced scope's members last heard of it: its first page and its total. The frames a joiner
     * gets of it are encoded once, by the first joiner of the window, and shared by the others.
     */
    static final class View {
        private final List<Member> page;
        private final int total;
        private List<OutgoingText> frames;

        View(List<Member> page, int total) {
            this.page = page;
            this.total = total;
        }

        List<Member> page() {
            return page;
        }

        int total() {
            return total;
        }

        boolean sameAs(View other) {
            return total == other.total && page.equals(other.page);
        }
    }

    private final Presence presence;
    private final Broadcaster here;
    private final Scheduler scheduler;
    private final ChatSettings.PresenceSettings settings;
    private final Object[] locks = new Object[64];
    /** The coalesced scopes, with what their members of this node last heard; a scope absent is told singly. */
    private final ConcurrentHashMap<String, View> coalesced = new ConcurrentHashMap<>();

    PresenceFeed(Presence presence, Broadcaster here, Scheduler scheduler, ChatSettings.PresenceSettings settings) {
        this.presence = presence;
        this.here = here;
        this.scheduler = scheduler;
        this.settings = settings;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    /**
     * A change to the scope's membership, already made in the presence. While the scope is told singly,
     * {@code singly} sends the protocol's events for it. Once coalesced, the next diff carries it, and a
     * {@code joiner} (null when the change has none) gets {@code toJoiner}'s frames (null: none), then the
     * scope's view as that diff starts from it. A change that makes the scope switch sends every member the
     * fresh view first.
     */
    void changed(String scope, SocketId joiner, Runnable singly, Runnable toJoiner) {
        List<Runnable> writes = new ArrayList<>(2);
        synchronized (lock(scope)) {
            int count = presence.count(scope);
            View view = coalesced.get(scope);
            if (view == null && count > settings.coalesceAbove()) {
                view = new View(firstPage(scope), count);
                coalesced.put(scope, view);
                presence.batch(scope, settings.windowMillis());
                sendView(scope, view, joiner == null ? Target.room(scope) : Target.room(scope).except(joiner), writes);
                scheduleFlush(scope);
            } else if (view != null && count <= settings.singlyAtOrBelow()) {
                toSingly(scope, writes);
                view = null;
            }
            if (view == null) {
                singly.run();
            } else if (joiner != null) {
                if (toJoiner != null) {
                    toJoiner.run();
                }
                sendView(scope, view, Target.socket(joiner), writes);
            }
        }
        writes.forEach(Runnable::run);
    }

    /** The scope's size changed by another node's own news: only the threshold is judged again. */
    void resized(String scope) {
        changed(scope, null, () -> { }, null);
    }

    /** Whether the scope's members are told in diffs now. */
    boolean isCoalesced(String scope) {
        return coalesced.containsKey(scope);
    }

    private void scheduleFlush(String scope) {
        scheduler.schedule(() -> flush(scope), settings.windowMillis());
    }

    /** The window's end: one diff for what changed, or the switch back to singly. */
    private void flush(String scope) {
        List<Runnable> writes = new ArrayList<>(1);
        synchronized (lock(scope)) {
            View before = coalesced.get(scope);
            if (before == null) {
                return;
            }
            int count = presence.count(scope);
            if (count <= settings.singlyAtOrBelow()) {
                toSingly(scope, writes);
            } else {
                View now = new View(firstPage(scope), count);
                if (!now.sameAs(before)) {
                    coalesced.put(scope, now);
                    writes.add(sendDiff(scope, before, now));
                }
                scheduleFlush(scope);
            }
        }
        writes.forEach(Runnable::run);
    }

    /** The switch back: changes go out at once again, and every member of this node gets the whole list. */
    private void toSingly(String scope, List<Runnable> writes) {
        coalesced.remove(scope);
        presence.batch(scope, 0);
        writes.add(scope.equals(ChatService.LOBBY)
                ? here.emitLater(Target.room(scope), "online-users", everyone(scope))
                : here.emitLater(Target.room(scope), "joined-room", new JoinedRoom(scope, everyone(scope))));
    }

    private List<Member> firstPage(String scope) {
        return presence.list(scope, null, "", settings.pageSize());
    }

    private Runnable sendDiff(String scope, View before, View now) {
        Map<SocketId, String> was = new HashMap<>();
        before.page().forEach(member -> was.put(member.id(), member.value()));
        List<OnlineUser> added = new ArrayList<>();
        for (Member member : now.page()) {
            if (!member.value().equals(was.remove(member.id()))) {
                added.add(new OnlineUser(member.id(), member.value()));
            }
        }
        List<SocketId> removed = new ArrayList<>(was.keySet());
        Object diff = scope.equals(ChatService.LOBBY) ? new LobbyDiff(now.total(), added, removed)
                : new RoomDiff(scope, now.total(), added, removed);
        return here.emitLater(Target.room(scope), "presence-diff", diff);
    }

    /**
     * A coalesced scope's view: for the lobby {@code online-users} with its first page, then an empty
     * {@code presence-diff} with its total (which tells a client that the list is a page); for a room
     * {@code joined-room} with its first page and total. Encoded once per view.
     */
    private void sendView(String scope, View view, Target to, List<Runnable> writes) {
        if (view.frames == null) {
            view.frames = scope.equals(ChatService.LOBBY)
                    ? List.of(here.encode("online-users", users(view.page())),
                            here.encode("presence-diff", new LobbyDiff(view.total(), List.of(), List.of())))
                    : List.of(here.encode("joined-room", new CoalescedRoom(scope, users(view.page()), view.total())));
        }
        view.frames.forEach(frame -> writes.add(here.sendLater(to, frame)));
    }

    /** Every member of the scope, over every node: the list of a scope told singly. */
    List<OnlineUser> everyone(String scope) {
        List<OnlineUser> everyone = new ArrayList<>();
        presence.members(scope).forEach((id, name) -> everyone.add(new OnlineUser(id, name)));
        return everyone;
    }

    static List<OnlineUser> users(List<Member> members) {
        List<OnlineUser> users = new ArrayList<>(members.size());
        members.forEach(member -> users.add(new OnlineUser(member.id(), member.value())));
        return users;
    }

    private Object lock(String scope) {
        return locks[(scope.hashCode() & 0x7fffffff) % locks.length];
    }
}
