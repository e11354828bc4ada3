package dev.duplex.web;

import java.util.Set;

/** The namespace endpoints, for runtimes that deploy them explicitly (containers scan for them). */
public final class Endpoints {
    public static final Set<Class<?>> ALL = Set.of(ChatEndpoint.class, WhiteboardEndpoint.class, GameEndpoint.class,
            LocationEndpoint.class);

    private Endpoints() {
    }
}
