/**
 * The protocol engine, free of any app and any container: the envelope codec, namespaces and their event
 * tables, connections and their send queues, rooms, broadcasting, shared state and its journals, streams
 * and their history, rate limits and settings.
 *
 * <h2>Threading model</h2>
 * Which thread calls what, and what an app may assume. It holds on every runtime.
 * <ul>
 * <li><b>Read threads</b> of the runtime (the standalone server's selector threads; a container's I/O or
 * request threads) call {@link dev.duplex.core.Namespace#open}, {@link dev.duplex.core.Namespace#receive}
 * and, when the peer closes, {@link dev.duplex.core.Namespace#closed}.</li>
 * <li><b>{@code duplex-io} threads</b> run every close the server starts (idle, slow reader, token expiry,
 * a handler bug, shutdown, a refusal) and with it the endpoint's close callback, which runtimes run on the
 * closing thread; on the portable path they also send pings. A close may block there (Tomcat writes close
 * frames synchronously, for at most the blocking-send timeout Duplex sets), never anywhere else.</li>
 * <li><b>The {@code duplex-scheduler} thread</b> runs the heartbeat, token expiry, location flushes, the
 * windows of big chat lobbies' presence, close timeouts and the sweep of idle addresses. Nothing it runs blocks: it queues pings and closes, never
 * performs them.</li>
 * <li><b>In a cluster</b>, the {@code duplex-cluster-inbox} thread handles what other nodes publish
 * (frames for this node's receivers, presence changes) in the order Redis delivered it, a backlog at a
 * time; Lettuce's threads only hand it over and complete Redis commands. A handler's stage that waited for
 * Redis resumes its connection's line on a {@code duplex-io} thread. The {@code duplex-cluster-liveness}
 * thread runs the heartbeat and the {@code duplex-cluster-resync} thread the resynchronisation after
 * trouble; they are the two threads that may wait on Redis (at most 3 s per step), apart so that a waiting
 * resynchronisation never delays the node's heartbeat. A {@link dev.duplex.core.Presence.Reconciled}
 * listener runs on the inbox's thread or the resynchronising or liveness thread, for no connection: it may read presence and send, nothing else. The
 * {@code duplex-cluster-journal} thread applies every journaled entry
 * ({@link dev.duplex.core.Journal.Machine}: a board's draws, undos and clears) and loads and rebuilds
 * copies, so a copy changes on it alone and in its stream's order; on a node alone an entry is applied on
 * the appending connection's thread instead. Either way the machine takes the state's own lock and never
 * blocks.</li>
 * </ul>
 * For one connection, the app's {@code opened}, {@code receive} handlers and {@code closed} run one at a
 * time, in that order, never concurrently: each connection has a {@link dev.duplex.core.SerialExecutor}, a
 * line of tasks run by whichever thread finds it idle, so a read thread that arrives while the connection's
 * close is being handled queues its frame and returns instead of waiting. Frames that arrive after the close
 * are dropped. A connection's callbacks never run inside another connection's: a receiver closed because a
 * broadcast overflowed its queue is cleaned up afterwards, on an I/O thread, so closes never nest.
 *
 * <p>Callbacks of different connections do run concurrently. Apps guard what they share with the state's own
 * lock ({@link dev.duplex.core.SharedStates}, a game, matchmaking), never a global one, and never block:
 * sending only queues ({@link dev.duplex.core.SendQueue}), and every socket write is asynchronous. A
 * {@link dev.duplex.core.History} stream's lock is one such: a publish takes it on the publishing
 * connection's thread to number, keep and queue its event, a join to send the history and join the room.
 * Under it only leaf locks are taken (a send queue's, the room registry's), and the writes happen after it
 * is released. A resume holds all of its session's stream locks at once, taken in stream-name order, the one
 * order any holder of several uses. A {@link dev.duplex.core.Session} has a line of its own, like a
 * connection's: its suspension, the end of its grace period and window (run by the scheduler) and its
 * resume run there one at a time, so the app's {@code suspended}, {@code departed} and {@code resumed} for
 * one session never overlap; a resume that takes over a connection still open waits on that line until
 * the old connection has been suspended.
 */
package dev.duplex.core;
