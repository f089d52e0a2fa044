package io.bpfstore.registry.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenSignerTest {
    @TempDir
    Path tmp;

    @Test
    void signedTokensRoundTripAndExpire() throws Exception {
        TokenSigner signer = TokenSigner.open(tmp.resolve("token.key"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("token.key"))));
        Instant now = Instant.ofEpochSecond(1_800_000_000L);
        Grant grant = new Grant(Optional.of("alice"), now, now.plusSeconds(300),
                List.of(Scope.repository("ns/a", Set.of(Action.PULL, Action.PUSH))));
        String token = signer.sign(grant);
        TokenCheck.Valid v = assertInstanceOf(TokenCheck.Valid.class, signer.verify(token, now.plusSeconds(299)));
        assertEquals(grant, v.grant());
        assertTrue(v.grant().allows("ns/a", Action.PUSH));
        assertInstanceOf(TokenCheck.Expired.class, signer.verify(token, now.plusSeconds(300)));
        // The same key file gives the same signer; another key rejects the token.
        assertInstanceOf(TokenCheck.Valid.class, TokenSigner.open(tmp.resolve("token.key")).verify(token, now));
        assertInstanceOf(TokenCheck.Invalid.class, TokenSigner.open(tmp.resolve("other.key")).verify(token, now));
        for (String bad : List.of("", "a.b", "a.b.c", token + "x", token.replace('.', ','), "...")) {
            assertInstanceOf(TokenCheck.Invalid.class, signer.verify(bad, now), bad);
        }
    }

    @Test
    void scopesParseAsTheDockerTokenSpecWritesThem() {
        assertEquals(new Scope("repository", "ns/a", Set.of(Action.PULL, Action.PUSH)),
                Scope.parse("repository:ns/a:pull,push").orElseThrow());
        assertEquals(Set.of(Action.values()), Scope.parse("repository:ns/a:*").orElseThrow().actions());
        assertEquals("localhost:5000/ns/a", Scope.parse("repository:localhost:5000/ns/a:pull").orElseThrow().name());
        assertEquals(Set.of(), Scope.parse("repository:ns/a:fly").orElseThrow().actions());
        assertTrue(Scope.parse("nonsense").isEmpty());
        assertEquals("repository:ns/a:pull,push", Scope.parse("repository:ns/a:push,pull").orElseThrow().toString());
    }
}
