package dev.duplex.core;

import java.util.Locale;

/**
 * A member of a presence scope with its value (a username), in the order a scope's members are listed: by
 * the value ignoring case ({@link #fold}), then by the value, then by id, so that every node lists a scope
 * alike and a list can go on from any member, present or gone.
 */
public record Member(SocketId id, String value, String folded) implements Comparable<Member> {
    public Member(SocketId id, String value) {
        this(id, value, fold(value));
    }

    /** The value compared without case, the same on every node whatever its default locale. */
    public static String fold(String value) {
        return value.toLowerCase(Locale.ROOT);
    }

    /** Sorts before every member whose folded value starts with {@code foldedPrefix}. */
    static Member first(String foldedPrefix) {
        return new Member(new SocketId(""), "", foldedPrefix);
    }

    @Override
    public int compareTo(Member other) {
        int order = folded.compareTo(other.folded);
        if (order == 0) {
            order = value.compareTo(other.value);
        }
        return order != 0 ? order : id.value().compareTo(other.id.value());
    }
}
