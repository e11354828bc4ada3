package dev.duplex.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressLimitsTest {
    private final AddressLimits limits = new AddressLimits(5, 2, new RateLimit("handshakes", 3, 1_000), 30_000);

    private static InetAddress at(String address) throws Exception {
        return InetAddress.getByName(address);
    }

    @Test
    void anAddressHoldsAtMostItsConnectionsAndClosingMakesRoom() throws Exception {
        InetAddress one = at("192.0.2.1");
        assertNull(limits.opened(one));
        assertNull(limits.opened(one));
        assertEquals(AddressLimits.Refusal.TOO_MANY_CONNECTIONS, limits.opened(one));
        assertNull(limits.opened(at("192.0.2.2")), "another address is counted apart");
        limits.closed(one, 0);
        assertNull(limits.opened(one));
        assertEquals(3, limits.open());
    }

    @Test
    void theNodeHoldsAtMostItsConnectionsOverAllAddresses() throws Exception {
        for (int i = 1; i <= 5; i++) {
            assertNull(limits.opened(at("198.51.100." + i)));
        }
        assertEquals(AddressLimits.Refusal.TOO_MANY_CONNECTIONS, limits.opened(at("198.51.100.99")));
        assertEquals(5, limits.open(), "a refused connection is not counted");
    }

    @Test
    void ipv6AddressesCountByTheirSlash64() throws Exception {
        assertNull(limits.opened(at("2001:db8:1:2::1")));
        assertNull(limits.opened(at("2001:db8:1:2:ffff::9")));
        assertEquals(AddressLimits.Refusal.TOO_MANY_CONNECTIONS, limits.opened(at("2001:db8:1:2:abcd::7")),
                "rotating within one /64 does not help");
        assertNull(limits.opened(at("2001:db8:1:3::1")), "the next /64 is another subscriber");
    }

    @Test
    void handshakesAreRateLimitedPerAddressOverTheWindow() throws Exception {
        InetAddress one = at("203.0.113.7");
        for (int i = 0; i < 3; i++) {
            assertTrue(limits.handshake(one, 0));
        }
        assertFalse(limits.handshake(one, 500));
        assertTrue(limits.handshake(at("203.0.113.8"), 500));
        assertTrue(limits.handshake(one, 1_000), "the window slid past the first");
    }

    @Test
    void anAbusiveConnectionBarsItsAddresssHandshakesForThePenaltyAndNoOtherAddress() throws Exception {
        InetAddress abuser = at("203.0.113.9");
        assertNull(limits.opened(abuser));
        limits.penalize(abuser, 1_000);
        limits.closed(abuser, 1_000);
        assertFalse(limits.handshake(abuser, 2_000), "a reconnect does not refill the abuser's rate limits");
        assertEquals(29, limits.retryAfterSeconds(abuser, 2_000), "what is left of the penalty");
        assertTrue(limits.handshake(at("203.0.113.10"), 2_000));
        assertTrue(limits.handshake(abuser, 31_000), "the penalty ends");
        assertEquals(1, limits.retryAfterSeconds(abuser, 31_000), "past the penalty: the handshake window");
    }

    @Test
    void aPenaltyOfZeroBarsNothing() throws Exception {
        AddressLimits lenient = new AddressLimits(5, 2, new RateLimit("handshakes", 3, 1_000), 0);
        InetAddress abuser = at("203.0.113.11");
        lenient.penalize(abuser, 1_000);
        assertTrue(lenient.handshake(abuser, 1_000));
    }

    @Test
    void theSweepForgetsAddressesThatOnlyShookHandsOrWhosePenaltyEnded() throws Exception {
        limits.handshake(at("198.51.100.20"), 0);
        limits.penalize(at("198.51.100.21"), 0);
        assertNull(limits.opened(at("198.51.100.22")));
        limits.sweep(500);
        assertEquals(3, limits.addressesHeld(), "a recent handshake, a penalty and an open connection are live");
        limits.sweep(2_000);
        assertEquals(2, limits.addressesHeld(), "the handshake's window has passed");
        limits.sweep(31_000);
        assertEquals(1, limits.addressesHeld(), "the penalty has ended; the open connection stays");
    }
}
