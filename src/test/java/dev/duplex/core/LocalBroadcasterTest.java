package dev.duplex.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.duplex.testing.FakeTransport;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class LocalBroadcasterTest {
    private final Codec codec = new Codec();
    private final SessionRegistry sessions = new SessionRegistry();
    private final LocalBroadcaster broadcaster = new LocalBroadcaster(codec, sessions);

    private record Peer(SocketId id, FakeTransport transport) {
        List<String> events() {
            return transport.frames().stream().map(frame -> frame.getString("event")).toList();
        }
    }

    private Peer connect() {
        FakeTransport transport = new FakeTransport();
        return new Peer(add(transport), transport);
    }

    private SocketId add(Transport transport) {
        Client client = new Client(new SendQueue(transport, new SendQueue.Limits(100, Long.MAX_VALUE), Runnable::run), Map.of(), null, 0);
        sessions.add(client);
        return client.id();
    }

    @Test
    void everyTargetReachesEachReceiverOnce() {
        Peer a = connect();
        Peer b = connect();
        Peer c = connect();
        sessions.rooms().join("r1", a.id());
        sessions.rooms().join("r2", a.id());
        sessions.rooms().join("r2", b.id());

        broadcaster.emit(Target.all(), "all", null);
        broadcaster.emit(Target.sockets(List.of(a.id(), b.id(), a.id())), "sockets", null);
        broadcaster.emit(Target.room("r2").except(a.id()), "room-but", null);
        broadcaster.emit(Target.socket(c.id()), "one", null);
        broadcaster.emit(Target.all().except(b.id()), "all-but", null);
        broadcaster.emit(Target.room("nowhere"), "nobody", null);

        assertEquals(List.of("all", "sockets", "all-but"), a.events());
        assertEquals(List.of("all", "sockets", "room-but"), b.events());
        assertEquals(List.of("all", "one", "all-but"), c.events());
    }

    @Test
    void theFrameIsEncodedAndFramedOnceForAllReceivers() {
        Peer a = connect();
        Peer b = connect();
        broadcaster.emit(Target.all(), "e", Map.of("k", "v"));
        OutgoingText toA = a.transport().messages().get(0);
        assertSame(toA, b.transport().messages().get(0), "one message object, shared");
        AtomicInteger framings = new AtomicInteger();
        Function<String, byte[]> framer = text -> {
            framings.incrementAndGet();
            return text.getBytes(StandardCharsets.UTF_8);
        };
        assertSame(toA.framed(framer), b.transport().messages().get(0).framed(framer));
        assertEquals(1, framings.get(), "framed for the first receiver, reused for the second");
    }

    @Test
    void emitLaterFixesTheOrderNowAndWritesWhenRun() {
        Peer a = connect();
        Peer b = connect();
        Runnable first = broadcaster.emitLater(Target.all(), "first", null);
        Runnable second = broadcaster.emitLater(Target.all(), "second", null);
        assertEquals(List.of(), a.events(), "nothing written before the runnables run");
        second.run();
        first.run();
        assertEquals(List.of("first", "second"), a.events(), "queue order, whoever writes");
        assertEquals(List.of("first", "second"), b.events());
    }

    @Test
    void broadcastsQueuedBeforeTheirWritesRunLeaveInOneWritePerReceiver() {
        FakeTransport gathering = new FakeTransport().gatherUpTo(16);
        add(gathering);
        Runnable first = broadcaster.sendLater(Target.all(), new OutgoingText("one"));
        Runnable second = broadcaster.sendLater(Target.all(), new OutgoingText("two"));
        Runnable third = broadcaster.sendLater(Target.all(), new OutgoingText("three"));
        first.run();
        second.run();
        third.run();
        assertEquals(List.of("one", "two", "three"), gathering.written());
        assertEquals(List.of(3), gathering.writeSizes(), "the first write takes what queued behind it");
    }

    @Test
    void aFailingReceiverNeverStopsTheLoop() {
        Transport broken = new Transport() {
            @Override
            public void send(List<OutgoingText> messages, Consumer<Throwable> done) {
                throw new IllegalStateException("socket gone");
            }

            @Override
            public void sendPing(Consumer<Throwable> done) {
                done.accept(null);
            }

            @Override
            public void close(CloseCode code, String reason) {
            }
        };
        for (int i = 0; i < 3; i++) {
            add(broken);
        }
        Peer healthy = connect();
        for (int i = 0; i < 3; i++) {
            add(broken);
        }
        broadcaster.emit(Target.all(), "e", null);
        broadcaster.emit(Target.all(), "f", null);
        assertEquals(List.of("e", "f"), healthy.events());
    }
}
