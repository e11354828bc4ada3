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
import java.util.HashSet;
import java.util.Set;

/**
 * Checks the {@code ?token=} of an upgrade (PROTOCOL.md section 8): an HS256 JWT signed with the configured
 * secret, with an {@code exp} in the future and a {@code name} claim, which becomes the connection's username.
 * Every other algorithm, {@code none} included, is refused. When an issuer is configured the token's
 * {@code iss} must be exactly it, and when an audience is configured it must be among the token's
 * {@code aud}: a token minted for another service by the same issuer is then refused. Thread-safe.
 */
public final class TokenVerifier {
    /** Who a token names, and until when. */
    public record Identity(String name, Instant expiresAt) {
    }

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    /** @param issuer the required {@code iss}, or empty; @param audience the required {@code aud}, or empty */
    public TokenVerifier(String secret, String issuer, String audience) {
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        if (key.length < 32) {
            throw new IllegalArgumentException("duplex.jwt.secret must be at least 32 bytes for HS256");
        }
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, new ImmutableSecret<>(key)));
        Set<String> required = new HashSet<>(Set.of("exp", "name"));
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        if (!issuer.isEmpty()) {
            exact.issuer(issuer);
            required.add("iss");
        }
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                audience.isEmpty() ? null : Set.of(audience), exact.build(), required, null);
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
