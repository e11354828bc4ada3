package dev.duplex.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The members of each scope with their values, as every {@link Presence} holds them: a scope exists while
 * it has members. Each scope is also kept in {@link Member} order, so that a page of a scope of any size, or
 * the members whose value starts with a prefix, costs the page, not the scope. Thread-safe: changes to one
 * scope are serialised; reads are lock-free and weakly consistent, except {@link #list}, which sees one
 * state of the scope.
 */
public final class PresenceScopes {
    /** One scope: its members by id, and the same members in order. Changed only inside {@code compute}. */
    private record Scope(ConcurrentHashMap<SocketId, String> byId, ConcurrentSkipListSet<Member> ordered) {
        Scope() {
            this(new ConcurrentHashMap<>(), new ConcurrentSkipListSet<>());
        }
    }

    private final ConcurrentHashMap<String, Scope> scopes = new ConcurrentHashMap<>();

    public void put(String scope, SocketId id, String value) {
        // compute, not computeIfAbsent: a concurrent remove may be dropping the scope as it empties.
        scopes.compute(scope, (key, members) -> {
            Scope result = members == null ? new Scope() : members;
            String old = result.byId().put(id, value);
            if (!value.equals(old)) {
                if (old != null) {
                    result.ordered().remove(new Member(id, old));
                }
                result.ordered().add(new Member(id, value));
            }
            return result;
        });
    }

    public void remove(String scope, SocketId id) {
        scopes.computeIfPresent(scope, (key, members) -> {
            String old = members.byId().remove(id);
            if (old != null) {
                members.ordered().remove(new Member(id, old));
            }
            return members.byId().isEmpty() ? null : members;
        });
    }

    public String get(String scope, SocketId id) {
        Scope members = scopes.get(scope);
        return members == null ? null : members.byId().get(id);
    }

    /** A live, read-only view of the scope's members; empty when it has none. */
    public Map<SocketId, String> members(String scope) {
        Scope members = scopes.get(scope);
        return members == null ? Map.of() : Collections.unmodifiableMap(members.byId());
    }

    public int count(String scope) {
        Scope members = scopes.get(scope);
        return members == null ? 0 : members.byId().size();
    }

    /**
     * At most {@code limit} members of the scope in {@link Member} order, starting after {@code after} (null:
     * from the first; it need not be a member), and only those whose value starts with {@code prefix} in
     * {@link Member#fold} (empty: all). Taken while no change to the scope is under way.
     */
    public List<Member> list(String scope, Member after, String prefix, int limit) {
        List<Member> page = new ArrayList<>(Math.min(limit, 128));
        String folded = Member.fold(prefix);
        // computeIfPresent as a read lock: a page never shows a member twice or a rename half made.
        scopes.computeIfPresent(scope, (key, members) -> {
            NavigableSet<Member> from = members.ordered();
            Member start = Member.first(folded);
            if (after != null && after.compareTo(start) > 0) {
                from = from.tailSet(after, false);
            } else {
                from = from.tailSet(start, true);
            }
            for (Member member : from) {
                if (page.size() == limit || !member.folded().startsWith(folded)) {
                    break;
                }
                page.add(member);
            }
            return members;
        });
        return page;
    }

    /** Every scope with its members, for a pass over all of them (a node's members going at once). */
    public Map<String, Map<SocketId, String>> all() {
        Map<String, Map<SocketId, String>> all = new LinkedHashMap<>();
        scopes.forEach((scope, members) -> all.put(scope, Collections.unmodifiableMap(members.byId())));
        return all;
    }
}
