package dev.duplex.core;

/** Opens a namespace's {@link Journal}s: kept on this node alone, or in a cluster's store. */
@FunctionalInterface
public interface Journals {
    /** @param kind what a stream is, for refusals ("boards") */
    <E> Journal<E> open(String kind, Journal.Machine<E> machine, Journal.Format<E> format);

    /** Streams that live in this node's memory, applied at once and told through {@code here}. */
    static Journals local(Broadcaster here) {
        return new Journals() {
            @Override
            public <E> Journal<E> open(String kind, Journal.Machine<E> machine, Journal.Format<E> format) {
                return new LocalJournal<>(machine, here);
            }
        };
    }
}
