package dev.duplex.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.duplex.core.BadFrame;
import dev.duplex.core.Codec;
import dev.duplex.core.IncomingFrame;
import dev.duplex.core.Text;
import dev.duplex.fuzz.Frame.Ack;
import dev.duplex.fuzz.Gen.J;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;

/**
 * {@link Codec#decode} on hostile text (PROTOCOL.md sections 2-3): it returns an envelope that keeps the rules
 * or throws {@link BadFrame}, which the namespace answers with {@code BAD_JSON}; any other exception escapes the
 * protocol (a container answers it with a close). Regression inputs: {@code EnvelopeFuzzTestInputs/<method>/}
 * in the test resources; {@code JAZZER_FUZZ=1} fuzzes, one method per JVM (see {@link NamespaceFuzzTest}).
 */
class EnvelopeFuzzTest {
    private static final Codec CODEC = new Codec();

    /** What decoding gave: a frame, or the refusal. */
    private record Decoded(IncomingFrame frame, BadFrame refusal) {
    }

    /** Any text a WebSocket text frame can carry: the input's bytes as UTF-8 (malformed bytes become U+FFFD). */
    @FuzzTest(maxDuration = "2m")
    @DictionaryEntries({"{\"event\":\"", "\",\"data\":", ",\"ack\":", "\"ping\"", "[[[[[[[[[[[[[[[[", "{\"a\":{\"a\":",
        "]]]]]]]]", "11111111111111111111", "e999999999999", "e2147483648", "e-2147483648", "0.0000000000", "\\ud800",
        "\\udc00", "\\u0000", "9007199254740991", "9007199254740992", "-0", "1.5", "true", "null", "NaN"})
    void decodesAnyText(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Decoded decoded = decode(text);
        if (decoded.frame != null) {
            checkEnvelope(decoded.frame, text);
        } else {
            Long ack = decoded.refusal.ack();
            assertTrue(ack == null || (ack >= 0 && ack <= Codec.MAX_ACK), () -> "refusal with ack " + ack);
        }
    }

    /**
     * Frames built to the envelope's rules and against them, with data nested past the parser's depth limit,
     * number literals past its length limit, exponents outside the int range and lone surrogates (escaped and
     * raw); the decoder must tell exactly the valid envelopes from the others.
     */
    @FuzzTest(maxDuration = "2m")
    void decodesStructuredFrames(FuzzedDataProvider data) {
        Gen g = new Gen(data, true);
        g.startFrame();
        String event = switch (g.pick(4)) {
            case 0 -> g.oneOf("ping", "typing", "send-message", "draw", "make-move", "update-location");
            case 1 -> g.anyText();
            default -> Frame.unknownEvent(g);
        };
        J payload = g.chance(15) ? new J(null, Gen.V.VALID) : J.valid(g.value(4));
        Frame frame = Frame.build(g, event, true, payload);
        String context = frame.describe();

        Decoded decoded = decode(frame.text());
        if (decoded.frame != null) {
            checkEnvelope(decoded.frame, frame.text());
        }
        if (frame.exotic()) {
            return; // Either answer is right for what the parser cannot hold; a foreign exception never is.
        }
        if (frame.notJson()) {
            assertNull(decoded.frame, () -> "accepted " + context);
            assertNull(decoded.refusal.ack(), () -> "an ack read from " + context);
            return;
        }
        if (!frame.wellFormed() || !frame.eventKnown()) {
            return;
        }
        Long ack = frame.ack() == Ack.EXACT ? frame.ackValue() : null;
        // Lone surrogates may be refused at the edge, or replaced: then only the ack must survive as it was.
        boolean lone = g.loneSurrogate();
        if (frame.envelopeOk()) {
            if (decoded.frame == null) {
                if (!lone) {
                    fail("refused (" + decoded.refusal.getMessage() + ") " + context);
                }
                assertEquals(ack, decoded.refusal.ack(), () -> "the ack lost in the refusal of " + context);
                return;
            }
            assertEquals(ack, decoded.frame.ack(), context);
            if (!lone) {
                assertEquals(frame.event(), decoded.frame.event(), context);
                JsonValue sent = frame.dataJson() == null ? JsonValue.NULL : Wire.parse(frame.dataJson());
                assertEquals(sent, decoded.frame.data(), () -> "data changed: " + context);
            }
        } else {
            if (decoded.refusal == null) {
                fail("accepted " + context);
            }
            // The refusal names the event (an excerpt of it) when it is a string and keeps a valid ack, for the
            // answer to use.
            if (frame.event() == null || Wire.unpairedSurrogate(frame.event()) < 0) {
                assertEquals(frame.event() == null ? null : Text.excerpt(frame.event()), decoded.refusal.event(),
                        context);
            }
            assertEquals(ack, decoded.refusal.ack(), context);
        }
    }

    private static Decoded decode(String text) {
        try {
            IncomingFrame frame = CODEC.decode(text);
            assertNotNull(frame, "decode returned null");
            return new Decoded(frame, null);
        } catch (BadFrame refusal) {
            return new Decoded(null, refusal);
        } catch (RuntimeException | StackOverflowError e) {
            throw Wire.escaped("Codec.decode threw " + e + " instead of BadFrame for "
                    + Wire.javaLiteral(Wire.abbreviate(text)), e);
        }
    }

    /** The envelope rules of PROTOCOL.md section 2 on an accepted frame. */
    private static void checkEnvelope(IncomingFrame frame, String text) {
        String context = Wire.javaLiteral(Wire.abbreviate(text));
        assertNotNull(frame.event(), context);
        int length = frame.event().codePointCount(0, frame.event().length());
        assertTrue(length >= 1 && length <= 64, () -> "event of " + length + " code points from " + context);
        assertNotNull(frame.data(), context);
        assertTrue(frame.ack() == null || (frame.ack() >= 0 && frame.ack() <= Codec.MAX_ACK),
                () -> "ack " + frame.ack() + " from " + context);
    }
}
