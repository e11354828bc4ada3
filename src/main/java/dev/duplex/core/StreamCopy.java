package dev.duplex.core;

import java.util.concurrent.CompletionStage;

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

    /** The state is forgotten: its copy is dropped. */
    public void drop() {
        if (copy != null) {
            copy.close();
        }
    }
}
