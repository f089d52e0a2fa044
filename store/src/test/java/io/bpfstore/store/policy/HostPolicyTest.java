package io.bpfstore.store.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.analysis.permissions.Permission;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.store.build.PackageBuilder;
import io.bpfstore.store.build.PackageContents;
import io.bpfstore.store.image.Digest;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.policy.PolicyDecision.Rule;
import io.bpfstore.store.client.PushOptions;
import io.bpfstore.store.client.RegistryClient;
import io.bpfstore.store.signing.Signer;
import io.bpfstore.store.signing.SigningKey;
import io.bpfstore.store.signing.VerificationException;
import io.bpfstore.testsupport.BpfClang;
import io.bpfstore.testsupport.DockerRegistryProcess;
import io.bpfstore.testsupport.ExampleObjects;
import io.bpfstore.testsupport.ExternalTool;
import io.bpfstore.testsupport.TestPrograms;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Host policy files (good and malformed, with openssl-made keys) and decisions on real objects and signatures. */
class HostPolicyTest {
    private static final Digest DIGEST = Digest.of(new byte[] {42});

    @TempDir
    Path dir;

    /** An openssl-made P-256 key pair in {@code dir}: NAME.key (PKCS#8) and NAME.pub. */
    private Path opensslPair(String name) {
        Path key = dir.resolve(name + ".key");
        Path pub = dir.resolve(name + ".pub");
        ExternalTool.output("sh", "-c", "openssl ecparam -name prime256v1 -genkey | openssl pkcs8 -topk8 -nocrypt -out "
                + key);
        ExternalTool.output("openssl", "pkey", "-in", key.toString(), "-pubout", "-out", pub.toString());
        return key;
    }

    private BpfObject poke() throws Exception {
        Path c = dir.resolve("poke.c");
        Files.writeString(c, TestPrograms.PROBE_WRITE_USER);
        BpfClang.compile(c, dir.resolve("poke.o"));
        return BpfObject.read(dir.resolve("poke.o"));
    }

    @Test
    void aFullPolicyLoadsWithKeysFromFilesAndInline() throws Exception {
        opensslPair("examples");
        opensslPair("everyone");
        String inline = Files.readString(dir.resolve("everyone.pub")).indent(6);
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, """
                allow-unsigned: no
                signers:
                  examples: [examples.pub]
                  "*":
                    - |
                %s
                deny-permissions: [writes-process-memory, "alters kernel function results"]
                allow-program-types: [xdp, tracepoint]
                """.formatted(inline.stripTrailing()));
        HostPolicy p = HostPolicy.load(file);
        assertFalse(p.allowUnsigned());
        assertEquals(2, p.signersFor("examples").size(), "its own and those of *");
        assertEquals(1, p.signersFor("other").size());
        // the fingerprint of the file's key is openssl's DER of the public key, hashed
        String der = ExternalTool.output("sh", "-c", "openssl pkey -pubin -in " + dir.resolve("examples.pub")
                + " -outform DER | sha256sum").split(" ")[0];
        assertEquals("sha256:" + der, p.signersFor("examples").getFirst().fingerprint());
        assertEquals(java.util.EnumSet.of(Permission.WRITES_PROCESS_MEMORY, Permission.ALTERS_KERNEL_RESULTS),
                p.deniedPermissions());
        assertEquals(Optional.of(java.util.EnumSet.of(ProgramType.XDP, ProgramType.TRACEPOINT)),
                p.allowedProgramTypes());
    }

    /** Malformed policies: each names the field, and line and column where the YAML has them. */
    @TestFactory
    Stream<DynamicTest> malformedPoliciesNameFieldLineAndColumn() throws Exception {
        opensslPair("good");
        Files.writeString(dir.resolve("junk.pub"), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        record Bad(String name, String text, String field, String position, String problem) {
        }
        return Stream.of(
                new Bad("unknown key", "allow-unsigned: no\ntrusted: []\n", "trusted", ":2:1", "unknown key"),
                new Bad("not yes or no", "allow-unsigned: maybe\n", "allow-unsigned", ":1:17", "not yes or no"),
                new Bad("unknown permission", "deny-permissions:\n  - drops-packets\n  - net:xdp\n",
                        "deny-permissions[1]", ":3:5", "\"net:xdp\" is not a permission"),
                new Bad("unknown program type", "allow-program-types: [xdp, xpd]\n", "allow-program-types[1]",
                        ":1:28", "not a program type"),
                new Bad("bad namespace", "signers:\n  Bad/NS: [good.pub]\n", "signers.Bad/NS", ":2:3",
                        "not a namespace"),
                new Bad("missing key file", "signers:\n  ex: [missing.pub]\n", "signers.ex[0]", ":2:8",
                        "unusable key"),
                new Bad("malformed key", "signers:\n  ex: [junk.pub]\n", "signers.ex[0]", ":2:8", "unusable key"),
                new Bad("private key as signer", "signers:\n  ex: [good.key]\n", "signers.ex[0]", ":2:8",
                        "is not a public key"),
                new Bad("wrong type", "signers: [good.pub]\n", "signers", ":1:10", "expected a mapping"),
                new Bad("alias", "deny-permissions: &d [drops-packets]\nallow-program-types: *d\n", "", ":",
                        "alias"),
                new Bad("duplicate key", "allow-unsigned: no\nallow-unsigned: yes\n", "allow-unsigned", ":2:1",
                        "duplicate key"),
                new Bad("not YAML", "signers: [\n", "", ":", "not valid YAML"),
                new Bad("a list", "- a\n", "", ":1:1", "expected a mapping")
        ).map(b -> DynamicTest.dynamicTest(b.name(), () -> {
            Path file = dir.resolve(b.name().replace(' ', '-') + ".yaml");
            Files.writeString(file, b.text());
            PolicyException e = assertThrows(PolicyException.class, () -> HostPolicy.load(file));
            assertTrue(e.getMessage().startsWith("policy " + file + b.position()), e.getMessage());
            assertTrue(e.getMessage().toLowerCase().contains(b.problem().toLowerCase()), e.getMessage());
            assertEquals(b.field(), e.field(), e.getMessage());
        }));
    }

    @Test
    void missingFilesAreErrorsExceptTheDefaultPath() {
        PolicyException e = assertThrows(PolicyException.class, () -> HostPolicy.load(dir.resolve("none.yaml")));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
        assertEquals(HostPolicy.defaults(), HostPolicy.loadOrDefaults(dir.resolve("none.yaml")));
    }

    @Test
    void deniedPermissionAndProgramTypeAreNamedWithTheInstruction() throws Exception {
        BpfObject poke = poke();
        HostPolicy p = HostPolicy.parse("allow-unsigned: yes\ndeny-permissions: [writes-process-memory]\n"
                + "allow-program-types: [xdp]\n", "inline", dir);
        PolicyDecision d = p.evaluate(PolicySubject.of("tests/poke@1.0.0", "tests", DIGEST,
                new SignatureCheck.NotChecked("a local file"), poke));
        assertFalse(d.allowed(), d::toString);
        assertEquals(List.of(Rule.PERMISSION, Rule.PROGRAM_TYPE), d.denials().stream().map(
                PolicyDecision.Finding::rule).toList(), "every reason, not the first");
        assertTrue(d.toString().contains("writes-process-memory (writes process memory) is denied by "
                + "deny-permissions: writes process memory (poke, insn"), d.toString());
        assertTrue(d.toString().contains("call 0x24 at poke.c:8"), d.toString());
        assertTrue(d.toString().contains("program type tracepoint (poke) is not in allow-program-types (xdp)"),
                d.toString());
        assertTrue(d.toString().startsWith("deny tests/poke@1.0.0 (" + DIGEST + ")"), d.toString());
        PolicyDeniedException e = assertThrows(PolicyDeniedException.class, d::requireAllowed);
        assertEquals(d, e.decision());

        PolicyDecision relaxed = HostPolicy.parse("allow-unsigned: yes\n", "inline", dir).evaluate(
                PolicySubject.of("tests/poke@1.0.0", "tests", DIGEST, new SignatureCheck.NotChecked("local"), poke));
        assertTrue(relaxed.allowed(), relaxed::toString);
        relaxed.requireAllowed();
    }

    @Test
    void signatureRules() throws Exception {
        BpfObject poke = poke();
        HostPolicy strict = HostPolicy.defaults();
        HostPolicy lax = strict.allowingUnsigned();
        SignatureCheck unsigned = new SignatureCheck.Refused(VerificationException.Reason.UNSIGNED, "no signature");
        SignatureCheck foreign = new SignatureCheck.Refused(VerificationException.Reason.UNTRUSTED_KEY, "key X");
        SignatureCheck tampered = new SignatureCheck.Refused(VerificationException.Reason.WRONG_DIGEST, "names Y");
        for (SignatureCheck c : List.of(unsigned, foreign, new SignatureCheck.NotChecked("local"))) {
            PolicyDecision d = strict.evaluate(PolicySubject.of("t/p@1", "t", DIGEST, c, poke));
            assertFalse(d.allowed(), d::toString);
            assertTrue(d.toString().contains("trusts none (add signers.t to the policy)"), d.toString());
            assertTrue(lax.evaluate(PolicySubject.of("t/p@1", "t", DIGEST, c, poke)).allowed());
        }
        PolicyDecision t = lax.evaluate(PolicySubject.of("t/p@1", "t", DIGEST, tampered, poke));
        assertFalse(t.allowed(), "tampering denies even when unsigned packages are allowed: " + t);
        assertTrue(t.toString().contains("a sign of tampering"), t.toString());
    }

    @Test
    void signaturesThroughARealRegistry() throws Exception {
        Path registryDir = Files.createDirectories(dir.resolve("registry"));
        try (DockerRegistryProcess registry = DockerRegistryProcess.start(registryDir)) {
            RegistryClient client = new RegistryClient(URI.create(registry.url()), Optional.empty());
            Image image = PackageBuilder.build(Optional.of(ExampleObjects.dir().resolve("xdp_counter.o")),
                    Optional.empty(), List.of(), Optional.of("examples"));
            String repo = "examples/xdp-counter";
            Digest digest = client.push(image, repo, "0.1.0", PushOptions.DEFAULT).digest();
            PackageContents contents = PackageContents.of(image);
            SigningKey signer = SigningKey.read(opensslPair("signer"));
            SigningKey other = SigningKey.read(opensslPair("other"));
            Path policyFile = dir.resolve("policy.yaml");
            Files.writeString(policyFile, "signers:\n  examples: [signer.pub]\n");
            HostPolicy policy = HostPolicy.load(policyFile);

            SignatureCheck before = policy.checkSignature(client, repo, digest);
            assertEquals(new SignatureCheck.Refused(VerificationException.Reason.UNSIGNED, ((SignatureCheck.Refused)
                    before).detail()), before);
            assertFalse(policy.evaluate(PolicySubject.of(repo + "@0.1.0", digest, before, contents)).allowed());

            Signer.signDigest(client, repo, digest, other);
            SignatureCheck byOther = policy.checkSignature(client, repo, digest);
            assertEquals(VerificationException.Reason.UNTRUSTED_KEY, ((SignatureCheck.Refused) byOther).reason());
            assertTrue(HostPolicy.defaults().checkSignature(client, repo, digest) instanceof SignatureCheck.Refused r
                    && r.reason() == VerificationException.Reason.UNTRUSTED_KEY, "signed, but no key trusted");

            Signer.signDigest(client, repo, digest, signer);
            SignatureCheck ok = policy.checkSignature(client, repo, digest);
            assertEquals(new SignatureCheck.Verified(signer.trusted().fingerprint()), ok);
            PolicyDecision d = policy.evaluate(PolicySubject.of(repo + "@0.1.0", digest, ok, contents));
            assertTrue(d.allowed(), d::toString);
            assertTrue(d.toString().contains("signed by trusted key " + signer.trusted().fingerprint()));
            // the same signature under another namespace's policy entry is not trusted
            HostPolicy elsewhere = HostPolicy.parse("signers:\n  acme: [signer.pub]\n", "inline", dir);
            assertFalse(elsewhere.evaluate(PolicySubject.of(repo + "@0.1.0", digest,
                    elsewhere.checkSignature(client, repo, digest), contents)).allowed());
        }
    }
}
