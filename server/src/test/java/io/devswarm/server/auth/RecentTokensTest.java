package io.devswarm.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devswarm.core.access.Role;
import io.devswarm.core.testing.MovableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

@DisplayName("a token verified once is remembered, and checked again where it matters")
class RecentTokensTest {
    @TempDir
    Path home;

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-02T10:00:00Z"));
    private final AtomicInteger fullChecks = new AtomicInteger();
    private TokenService tokens;
    private JwtDecoder decoder;

    @BeforeEach
    void ownTokens() {
        tokens = new TokenService("urn:devswarm:test", home.resolve("keyring"), null, clock);
        JwtDecoder verifier = tokens.verifier();
        decoder = new RecentTokens(token -> {
            fullChecks.incrementAndGet();
            return verifier.decode(token);
        }, tokens.validator(), tokens::keys);
    }

    private String aliceFor(Duration ttl) {
        return tokens.issue("alice", "us-alice", Set.of(Role.DEVELOPER), null, ttl).token();
    }

    @Test
    @DisplayName("the same token again is not parsed and verified again")
    void remembered() {
        String token = aliceFor(Duration.ofHours(1));

        assertThat(decoder.decode(token).getSubject()).isEqualTo("alice");
        assertThat(decoder.decode(token).getSubject()).isEqualTo("alice");
        assertThat(fullChecks).hasValue(1);
    }

    @Test
    @DisplayName("a remembered token is refused once it expires")
    void expiry() {
        String token = aliceFor(Duration.ofMinutes(5));
        decoder.decode(token);

        clock.advance(Duration.ofMinutes(6));

        assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(JwtValidationException.class).hasMessageContaining("expired");
    }

    @Test
    @DisplayName("a token that did not verify is refused every time and never remembered")
    void forged() {
        String[] parts = aliceFor(Duration.ofHours(1)).split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();

        assertThatThrownBy(() -> decoder.decode(forged)).isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> decoder.decode(forged)).isInstanceOf(JwtException.class);
        assertThat(fullChecks).hasValue(2);
    }

    @Test
    @DisplayName("after a key rotation a remembered token is verified again in full, and still holds")
    void rotation() {
        String token = aliceFor(Duration.ofHours(1));
        decoder.decode(token);

        tokens.rotate();

        assertThat(decoder.decode(token).getSubject()).isEqualTo("alice");
        assertThat(fullChecks).hasValue(2);
    }

    @Test
    @DisplayName("the server's own decoder remembers what it verified")
    void wired() {
        assertThat(tokens.decoder()).isInstanceOf(RecentTokens.class);
    }
}
