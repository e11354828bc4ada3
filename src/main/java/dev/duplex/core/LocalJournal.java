package dev.duplex.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A {@link Journal} on a node alone: the copy is the state, so an append is applied at once on the caller's
 * thread, under the state's lock, and its answer is ready when {@link #append} returns. Entries are never
 * encoded.
 */
final class LocalJournal<E> implements Journal<E> {
    /** The state is the copy: current at once, and nothing to drop. */
    private static final Copy COPY = new Copy() {
        private final CompletionStage<Void> current = CompletableFuture.completedFuture(null);

        @Override
        public CompletionStage<Void> current() {
            return current;
        }

        @Override
        public void close() {
        }
    };

    private final Machine<E> machine;
    private final Broadcaster here;

    LocalJournal(Machine<E> machine, Broadcaster here) {
        this.machine = machine;
        this.here = here;
    }

    @Override
    public CompletionStage<Object> append(String stream, E entry) {
        try {
            return CompletableFuture.completedFuture(machine.apply(stream, entry, here));
        } catch (ProtocolError refused) {
            return CompletableFuture.failedFuture(refused);
        }
    }

    @Override
    public Copy follow(String stream) {
        return COPY;
    }

    @Override
    public boolean shared() {
        return false;
    }
}
