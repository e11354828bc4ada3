package dev.duplex.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.duplex.core.Refusal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {
    private static final String SECRET = "an-hs256-secret-of-at-least-32-bytes!";

    private static String token(String issuer, List<String> audience) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().claim("name", "ann")
                .expirationTime(Date.from(Instant.now().plus(1, ChronoUnit.HOURS)));
        if (issuer != null) {
            claims.issuer(issuer);
        }
        if (audience != null) {
            claims.audience(audience);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        jwt.sign(new MACSigner(SECRET.getBytes()));
        return jwt.serialize();
    }

    @Test
    void withoutIssuerOrAudienceSettingsNeitherIsChecked() throws Exception {
        TokenVerifier verifier = new TokenVerifier(SECRET, "", "");
        assertEquals("ann", verifier.verify(token(null, null)).name());
        assertEquals("ann", verifier.verify(token("anyone", List.of("anything"))).name());
    }

    @Test
    void aConfiguredIssuerMustMatchExactly() throws Exception {
        TokenVerifier verifier = new TokenVerifier(SECRET, "https://auth.example", "");
        assertEquals("ann", verifier.verify(token("https://auth.example", null)).name());
        assertThrows(Refusal.class, () -> verifier.verify(token("https://evil.example", null)));
        assertThrows(Refusal.class, () -> verifier.verify(token(null, null)), "a missing issuer is refused");
    }

    @Test
    void aConfiguredAudienceMustBeAmongTheTokensAudiences() throws Exception {
        TokenVerifier verifier = new TokenVerifier(SECRET, "", "duplex");
        assertEquals("ann", verifier.verify(token(null, List.of("other", "duplex"))).name());
        assertThrows(Refusal.class, () -> verifier.verify(token(null, List.of("other"))));
        assertThrows(Refusal.class, () -> verifier.verify(token(null, null)), "a missing audience is refused");
    }
}
