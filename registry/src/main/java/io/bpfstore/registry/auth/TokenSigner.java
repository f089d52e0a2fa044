package io.bpfstore.registry.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks bearer tokens: compact JWTs (HS256) whose {@code access} claim lists granted scopes, in
 * the shape of the Docker token specification, so that standard clients can read the expiry if they care.
 */
public final class TokenSigner {
    private static final String ISSUER = "bpfstore";
    private static final int KEY_BYTES = 32;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final String HEADER = B64.encodeToString(
            "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

    private final SecretKeySpec key;
    private final ObjectMapper json = new ObjectMapper();

    /** @param key the HMAC key, at least 32 bytes */
    public TokenSigner(byte[] key) {
        if (key.length < KEY_BYTES) {
            throw new IllegalArgumentException("token signing key must have at least " + KEY_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    /** Loads the key from {@code file}, creating a random one (mode 0600) if the file does not exist. */
    public static TokenSigner open(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] fresh = new byte[KEY_BYTES];
            new SecureRandom().nextBytes(fresh);
            Path temp = file.resolveSibling(file.getFileName() + ".tmp-" + System.nanoTime());
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.write(temp, fresh);
                Files.createLink(file, temp); // fails if another process created the key first: theirs wins
            } catch (FileAlreadyExistsException ignored) {
                // someone else's key is in place; use it
            } finally {
                Files.deleteIfExists(temp);
            }
        }
        byte[] key = Files.readAllBytes(file);
        if (key.length < KEY_BYTES) {
            throw new IOException(file + ": token signing key is shorter than " + KEY_BYTES + " bytes");
        }
        return new TokenSigner(key);
    }

    /** A signed token stating {@code grant}. */
    public String sign(Grant grant) {
        ObjectNode claims = json.createObjectNode();
        claims.put("iss", ISSUER);
        claims.put("aud", ISSUER);
        claims.put("sub", grant.subject().orElse(""));
        claims.put("iat", grant.issuedAt().getEpochSecond());
        claims.put("exp", grant.expiresAt().getEpochSecond());
        ArrayNode access = claims.putArray("access");
        for (Scope s : grant.access()) {
            ObjectNode a = access.addObject();
            a.put("type", s.type());
            a.put("name", s.name());
            ArrayNode actions = a.putArray("actions");
            s.actions().stream().sorted().forEach(x -> actions.add(x.wireName()));
        }
        String body = HEADER + "." + B64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        return body + "." + B64.encodeToString(mac(body));
    }

    /** Checks signature, issuer and expiry at {@code now}. */
    public TokenCheck verify(String token, Instant now) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || !parts[0].equals(HEADER)) {
            return new TokenCheck.Invalid("not a token of this registry");
        }
        byte[] signature;
        JsonNode claims;
        try {
            signature = B64D.decode(parts[2]);
            claims = json.readTree(B64D.decode(parts[1]));
        } catch (IllegalArgumentException | IOException e) {
            return new TokenCheck.Invalid("malformed token");
        }
        if (!MessageDigest.isEqual(signature, mac(parts[0] + "." + parts[1]))) {
            return new TokenCheck.Invalid("bad signature");
        }
        if (claims == null || !ISSUER.equals(claims.path("iss").asText()) || !claims.path("exp").isNumber()) {
            return new TokenCheck.Invalid("missing claims");
        }
        Instant expires = Instant.ofEpochSecond(claims.path("exp").asLong());
        if (!now.isBefore(expires)) {
            return new TokenCheck.Expired();
        }
        List<Scope> access = new ArrayList<>();
        for (JsonNode a : claims.path("access")) {
            EnumSet<Action> actions = EnumSet.noneOf(Action.class);
            for (JsonNode x : a.path("actions")) {
                Action.parse(x.asText()).ifPresent(actions::add);
            }
            access.add(new Scope(a.path("type").asText(), a.path("name").asText(), actions));
        }
        String sub = claims.path("sub").asText("");
        return new TokenCheck.Valid(new Grant(sub.isEmpty() ? Optional.empty() : Optional.of(sub),
                Instant.ofEpochSecond(claims.path("iat").asLong()), expires, access));
    }

    private byte[] mac(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA256", e);
        }
    }
}
