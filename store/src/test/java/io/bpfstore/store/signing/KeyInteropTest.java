package io.bpfstore.store.signing;

import io.bpfstore.store.DockerRegistryServer;
import io.bpfstore.store.Tools;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.store.image.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our keys and signatures against openssl: each side reads, signs and verifies what the other made. */
class KeyInteropTest {
    @TempDir
    Path dir;

    private Path payload() throws IOException {
        Path p = dir.resolve("payload.json");
        Files.write(p, new SimpleSigningPayload("127.0.0.1:5000/examples/xdp", Digest.of(new byte[] {1, 2, 3}))
                .bytes());
        return p;
    }

    @Test
    void opensslVerifiesOurSignatureWithOurPublicKey() throws IOException {
        SigningKey key = SigningKey.generate();
        key.writePair(dir.resolve("keys"));
        Path payload = payload();
        Path sig = dir.resolve("sig.der");
        Files.write(sig, key.sign(Files.readAllBytes(payload)));
        Path pub = dir.resolve("keys").resolve(SigningKey.PUBLIC_FILE);
        Tools.Output ok = Tools.run("openssl", "dgst", "-sha256", "-verify", pub.toString(), "-signature",
                sig.toString(), payload.toString());
        assertEquals(0, ok.exit(), ok.err());
        assertTrue(ok.out().contains("Verified OK"), ok.out());

        Files.writeString(payload, "{}", StandardCharsets.UTF_8);
        Tools.Output bad = Tools.run("openssl", "dgst", "-sha256", "-verify", pub.toString(), "-signature",
                sig.toString(), payload.toString());
        assertNotEquals(0, bad.exit(), "openssl must refuse the signature over other bytes");
    }

    @Test
    void opensslReadsOurKeyFilesAndDerivesTheSamePublicKey() throws IOException {
        SigningKey.generate().writePair(dir);
        Path priv = dir.resolve(SigningKey.PRIVATE_FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(priv)));
        String text = Tools.tool("openssl", "pkey", "-in", priv.toString(), "-noout", "-text");
        assertTrue(text.contains("prime256v1") || text.contains("P-256"), text);
        String derived = Tools.tool("openssl", "pkey", "-in", priv.toString(), "-pubout");
        assertEquals(derived, Files.readString(dir.resolve(SigningKey.PUBLIC_FILE)));
        assertTrue(Files.readString(priv).startsWith("-----BEGIN PRIVATE KEY-----\n"));
    }

    @Test
    void opensslMadeKeySignsWithOurCodeAndOpensslVerifies() throws IOException {
        Path ec = dir.resolve("ec.pem");
        Path pkcs8 = dir.resolve("key.pem");
        Path pub = dir.resolve("pub.pem");
        Tools.tool("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", ec.toString());
        Tools.tool("openssl", "pkcs8", "-topk8", "-nocrypt", "-in", ec.toString(), "-out", pkcs8.toString());
        Tools.tool("openssl", "ec", "-in", ec.toString(), "-pubout", "-out", pub.toString());

        SigningKey key = SigningKey.read(pkcs8);
        TrustedKey theirs = TrustedKey.read(pub);
        assertEquals(theirs.key().getW(), key.publicKey().getW(), "public point derived from the private scalar");
        assertEquals(theirs.fingerprint(), key.trusted().fingerprint());

        Path payload = payload();
        Path sig = dir.resolve("sig.der");
        Files.write(sig, key.sign(Files.readAllBytes(payload)));
        Tools.Output ok = Tools.run("openssl", "dgst", "-sha256", "-verify", pub.toString(), "-signature",
                sig.toString(), payload.toString());
        assertEquals(0, ok.exit(), ok.err());

        Path theirSig = dir.resolve("their.der");
        Tools.tool("openssl", "dgst", "-sha256", "-sign", pkcs8.toString(), "-out", theirSig.toString(),
                payload.toString());
        byte[] bytes = Files.readAllBytes(payload);
        assertTrue(theirs.verifies(bytes, Files.readAllBytes(theirSig)), "openssl's signature verifies with ours");
        bytes[0] ^= 1;
        assertFalse(theirs.verifies(bytes, Files.readAllBytes(theirSig)));
    }

    @Test
    void opensslSec1KeyIsRefusedWithTheConversionToUse() {
        Path ec = dir.resolve("ec.pem");
        Tools.tool("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", ec.toString());
        KeyException e = assertThrows(KeyException.class, () -> SigningKey.read(ec));
        assertTrue(e.getMessage().contains("EC PRIVATE KEY") && e.getMessage().contains("pkcs8"), e.getMessage());
    }

    /** openssl-encrypted PKCS#8 keys (PBES2 with each PRF and cipher openssl offers for it) read and sign. */
    @Test
    void opensslEncryptedKeysReadWithTheirPassword() throws IOException {
        Path ec = dir.resolve("ec.pem");
        Tools.tool("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", ec.toString());
        Path pub = dir.resolve("ec.pub");
        Tools.tool("openssl", "pkey", "-in", ec.toString(), "-pubout", "-out", pub.toString());
        Path payload = payload();
        for (String[] scheme : new String[][] {{"aes-256-cbc", "hmacWithSHA256"}, {"aes-128-cbc", "hmacWithSHA1"},
                {"aes-256-cbc", "hmacWithSHA512"}}) {
            Path enc = dir.resolve("enc-" + scheme[0] + "-" + scheme[1] + ".pem");
            Tools.tool("openssl", "pkcs8", "-topk8", "-v2", scheme[0], "-v2prf", scheme[1], "-passout",
                    "pass:s3cret", "-in", ec.toString(), "-out", enc.toString());
            String where = String.join("/", scheme);
            KeyException none = assertThrows(KeyException.class, () -> SigningKey.read(enc), where);
            assertTrue(none.getMessage().contains("encrypted and no password was given")
                    && none.getMessage().contains(KeyPassword.ENV), none.getMessage());
            KeyException wrong = assertThrows(KeyException.class,
                    () -> SigningKey.read(enc, KeyPassword.of("wrong".toCharArray())), where);
            assertTrue(wrong.getMessage().contains("wrong password"), wrong.getMessage());
            SigningKey key = SigningKey.read(enc, KeyPassword.of("s3cret".toCharArray()));
            assertEquals(TrustedKey.read(pub).fingerprint(), key.trusted().fingerprint(), where);
            Path sig = dir.resolve("sig.der");
            Files.write(sig, key.sign(Files.readAllBytes(payload)));
            Tools.Output ok = Tools.run("openssl", "dgst", "-sha256", "-verify", pub.toString(), "-signature",
                    sig.toString(), payload.toString());
            assertEquals(0, ok.exit(), where + ": " + ok.err());
        }
    }

    @Test
    void passwordComesFromTheEnvironmentElseNowhereWithoutATerminal() {
        KeyPassword env = KeyPassword.fromEnvironmentOrTerminal(java.util.Map.of(KeyPassword.ENV, "pw"), null);
        assertEquals("pw", new String(env.forKey("k").orElseThrow()));
        assertTrue(KeyPassword.fromEnvironmentOrTerminal(java.util.Map.of(), null).forKey("k").isEmpty());
    }

    /** Keys we encrypt, openssl decrypts with the password (and refuses without it). */
    @Test
    void opensslDecryptsOurEncryptedKeys() throws IOException {
        SigningKey key = SigningKey.generate();
        key.writePair(dir.resolve("keys"), Optional.of("pa55".toCharArray()));
        Path priv = dir.resolve("keys").resolve(SigningKey.PRIVATE_FILE);
        assertTrue(Files.readString(priv).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(priv)));
        String asn1 = Tools.tool("openssl", "asn1parse", "-in", priv.toString());
        assertTrue(asn1.contains(":PBES2") && asn1.contains(":PBKDF2") && asn1.contains(":hmacWithSHA256")
                && asn1.contains(":aes-256-cbc"), asn1);
        Path derived = dir.resolve("derived.pub");
        Tools.tool("openssl", "pkey", "-in", priv.toString(), "-passin", "pass:pa55", "-pubout", "-out",
                derived.toString());
        assertEquals(key.trusted().fingerprint(), TrustedKey.read(derived).fingerprint());
        assertNotEquals(0, Tools.run("openssl", "pkey", "-in", priv.toString(), "-passin", "pass:nope",
                "-noout").exit());
        assertEquals(key.trusted().fingerprint(), SigningKey.read(priv, KeyPassword.of("pa55".toCharArray()))
                .trusted().fingerprint());
    }

    @Test
    void legacyAndCosignEncryptionAreRefusedWithTheFix() {
        Path ec = dir.resolve("ec.pem");
        Tools.tool("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", ec.toString());
        Path pbes1 = dir.resolve("pbes1.pem");
        Tools.tool("openssl", "pkcs8", "-topk8", "-v1", "PBE-SHA1-3DES", "-passout", "pass:x", "-in", ec.toString(),
                "-out", pbes1.toString());
        KeyException legacy = assertThrows(KeyException.class,
                () -> SigningKey.read(pbes1, KeyPassword.of("x".toCharArray())));
        assertTrue(legacy.getMessage().contains("not supported") && legacy.getMessage().contains("-v2 aes-256-cbc"),
                legacy.getMessage());
        KeyException cosign = assertThrows(KeyException.class, () -> SigningKey.parse(
                "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n",
                "cosign.key", KeyPassword.of("x".toCharArray())));
        assertTrue(cosign.getMessage().contains("cosign's own encrypted format"), cosign.getMessage());
        KeyException junk = assertThrows(KeyException.class, () -> SigningKey.parse(
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n", "junk.key",
                KeyPassword.of("x".toCharArray())));
        assertTrue(junk.getMessage().startsWith("junk.key: "), junk.getMessage());
    }

    @Test
    void otherCurvesAndAlgorithmsAreRefused() {
        Path p384 = dir.resolve("p384.pem");
        Tools.tool("sh", "-c", "openssl ecparam -name secp384r1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt > "
                + p384);
        assertTrue(assertThrows(KeyException.class, () -> SigningKey.read(p384)).getMessage().contains("P-256"));
        Path p384pub = dir.resolve("p384.pub");
        Tools.tool("openssl", "pkey", "-in", p384.toString(), "-pubout", "-out", p384pub.toString());
        assertTrue(assertThrows(KeyException.class, () -> TrustedKey.read(p384pub)).getMessage().contains("P-256"));
        Path ed = dir.resolve("ed.pem");
        Tools.tool("openssl", "genpkey", "-algorithm", "ed25519", "-out", ed.toString());
        KeyException e = assertThrows(KeyException.class, () -> SigningKey.read(ed));
        assertTrue(e.getMessage().contains(ed.toString()), e.getMessage());
    }

    @Test
    void malformedPemNamesTheProblem() {
        record Case(String text, String expected) {
        }
        String good = SigningKey.generate().pem();
        String pub = SigningKey.generate().trusted().pem();
        for (Case c : List.of(
                new Case("hello", "not a PEM file"),
                new Case("-----BEGIN PRIVATE KEY-----\nAAAA\n", "no \"-----END PRIVATE KEY-----\" line"),
                new Case("-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n", "not valid base64"),
                new Case("-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n", "empty"),
                new Case("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "not a PKCS#8"),
                new Case(good.substring(0, 60) + good.substring(good.indexOf("-----END")), "PKCS#8"),
                new Case(pub, "public key"))) {
            KeyException e = assertThrows(KeyException.class, () -> SigningKey.parse(c.text(), "k.pem"), c.text());
            assertTrue(e.getMessage().startsWith("k.pem: ") && e.getMessage().contains(c.expected()),
                    e.getMessage() + " should mention " + c.expected());
        }
        KeyException e = assertThrows(KeyException.class, () -> TrustedKey.parse(good, "p.pem"));
        assertTrue(e.getMessage().contains("not a public key"), e.getMessage());
    }

    @Test
    void writePairRefusesToOverwriteAndLeavesNothingBehind() throws IOException {
        Path keys = dir.resolve("keys");
        Files.createDirectories(keys);
        Files.writeString(keys.resolve(SigningKey.PUBLIC_FILE), "existing");
        assertThrows(FileAlreadyExistsException.class, () -> SigningKey.generate().writePair(keys));
        try (var s = Files.list(keys)) {
            assertEquals(List.of(keys.resolve(SigningKey.PUBLIC_FILE)), s.toList());
        }
        assertEquals("existing", Files.readString(keys.resolve(SigningKey.PUBLIC_FILE)));
    }

    @Test
    void mismatchedHalvesAreRefused() {
        SigningKey a = SigningKey.generate();
        SigningKey b = SigningKey.generate();
        KeyException e = assertThrows(KeyException.class, () -> new SigningKey(a.privateKey(), b.publicKey()));
        assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
    }

    @Test
    void pemRoundTrips() {
        SigningKey key = SigningKey.generate();
        SigningKey back = SigningKey.parse(key.pem(), "k");
        assertArrayEquals(key.privateKey().getEncoded(), back.privateKey().getEncoded());
        assertEquals(key.publicKey().getW(), back.publicKey().getW());
        assertEquals(key.trusted().fingerprint(), TrustedKey.parse(key.trusted().pem(), "p").fingerprint());
    }
}
