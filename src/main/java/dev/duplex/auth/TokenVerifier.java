package dev.duplex.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.duplex.core.ProtocolError;
import dev.duplex.core.Refusal;
import dev.duplex.core.Text;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.Set;

/**
 * Checks the {@code ?token=} of an upgrade (PROTOCOL.md section 8): an HS256 JWT signed with the configured
 * secret, with an {@code exp} in the future and a {@code name} claim, which becomes the connection's username.
 * Every other algorithm, {@code none} included, is refused. Thread-safe.
 */
public final class TokenVerifier {
    /** Who a token names, and until when. */
    public record Identity(String name, Instant expiresAt) {
    }

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    public TokenVerifier(String secret) {
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        if (key.length < 32) {
            throw new IllegalArgumentException("duplex.jwt.secret must be at least 32 bytes for HS256");
        }
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, new ImmutableSecret<>(key)));
        DefaultJWTClaimsVerifier<SecurityContext> claims =
                new DefaultJWTClaimsVerifier<>(null, Set.of("exp", "name"));
        // The protocol says exp is checked: no grace period past it.
        claims.setMaxClockSkew(0);
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** The token's identity; a {@link Refusal} when it is missing, forged, expired or lacks a usable name. */
    public Identity verify(String token) {
        if (token == null || token.isEmpty()) {
            throw new Refusal("Authentication required: pass ?token=JWT");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            throw new Refusal("Invalid token");
        }
        try {
            String name = Text.name(claims.getStringClaim("name"), "name", 32);
            return new Identity(name, claims.getExpirationTime().toInstant());
        } catch (ParseException | ProtocolError e) {
            throw new Refusal("The token's name claim must be a string of 1-32 characters");
        }
    }
}
