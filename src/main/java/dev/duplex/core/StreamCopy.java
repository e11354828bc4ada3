package dev.duplex.core;

import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * This node's copy of a journaled stream, as a shared state (a board, a location group) holds it: followed
 * on the first arrival (and again after a copy that failed to load), dropped when the state is forgotten.
 * While connections wait for the copy to be current the state is in use, so it is never forgotten under
 * them. Not thread-safe: called with the state's own lock held.
 */
public final class StreamCopy {
    private final String stream;
    private Journal.Copy copy;
    private int arriving;

    public StreamCopy(String stream) {
        this.stream = stream;
    }

    /** One more connection arrives: it waits for the returned stage, then calls {@link #arrived}. */
    public CompletionStage<Void> arrive(Journal<?> journal) {
        arriving++;
        if (copy == null || copy.current().toCompletableFuture().isCompletedExceptionally()) {
            copy = journal.follow(stream);
        }
        return copy.current();
    }

    public void arrived() {
        arriving--;
    }

    /** Whether nobody waits for the copy: then the state may be forgotten when nobody is in it either. */
    public boolean nobodyArriving() {
        return arriving == 0;
    }

    /**
     * Joins a connection to the named state once this node's copy of it is current (on a node alone: at
     * once). The state is in use while the connection waits, so it is never forgotten under it; {@code join}
     * runs under the state's lock and returns the write to run after it is released. When the copy cannot be
     * loaded the connection is refused with 1013, and the state is forgotten if {@code unused} says so.
     *
     * @param what the state, for the refusal ("board")
     */
    public static <T> CompletionStage<Void> join(SharedStates<T> states, String name, Function<T, StreamCopy> copyOf,
            Journal<?> journal, Function<T, Runnable> join, Predicate<T> unused, String what) {
        CompletionStage<Void> loaded = states.enter(name, state -> copyOf.apply(state).arrive(journal));
        return loaded.handle((ok, failure) -> {
            if (failure != null) {
                states.leave(name, state -> {
                    copyOf.apply(state).arrived();
                    return null;
                }, unused);
                throw new Refusal(CloseCode.TRY_AGAIN_LATER, "The " + what + " cannot be loaded just now: try again later");
            }
            states.enter(name, state -> {
                copyOf.apply(state).arrived();
                return join.apply(state);
            }).run();
            return null;
        });
    }

    /**
     * Whether a state may be forgotten: nobody arriving, nobody in it here, and either its journal keeps it
     * off this node or it holds nothing.
     */
    public boolean unused(boolean anyoneHere, boolean holdsNothing, Journal<?> journal) {
        return nobodyArriving() && !anyoneHere && (journal.shared() || holdsNothing);
    }

    /** The state is forgotten: its copy is dropped. */
    public void drop() {
        if (copy != null) {
            copy.close();
        }
    }
}
