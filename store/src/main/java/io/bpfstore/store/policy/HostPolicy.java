package io.bpfstore.store.policy;

import io.bpfstore.analysis.permissions.Evidence;
import io.bpfstore.analysis.permissions.Permission;
import io.bpfstore.analysis.permissions.ProgramPermissions;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.store.image.Digest;
import io.bpfstore.store.policy.PolicyDecision.Finding;
import io.bpfstore.store.policy.PolicyDecision.Rule;
import io.bpfstore.store.client.RegistryClient;
import io.bpfstore.store.signing.TrustedKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a host lets bpfstore install, read from {@code /etc/bpfstore/policy.yaml} (or {@code --policy FILE}):
 *
 * <pre>{@code
 * allow-unsigned: no                     # default no: a package needs a signature by a trusted signer
 * signers:                               # trusted public keys per namespace ("*": every namespace)
 *   examples: [keys/examples.pub]        # a PEM file (relative to this file's directory) or inline PEM text
 * deny-permissions: [writes-process-memory, alters-kernel-results]   # ids or plain names
 * allow-program-types: [xdp, sched_cls, tracepoint]                  # absent: every type
 * }</pre>
 *
 * <p>Usage, one line where a package is about to be installed:
 * <pre>{@code
 * HostPolicy.load(path).evaluate(PolicySubject.of(ref, digest, signatureCheck, object)).requireAllowed();
 * }</pre>
 *
 * @param source              the file it was read from, empty for the built-in defaults
 * @param allowUnsigned       whether a package without a signature by a trusted signer may be installed
 * @param signers             trusted keys by namespace ({@code *}: every namespace)
 * @param deniedPermissions   permissions no package may have
 * @param allowedProgramTypes the program types packages may use, empty for all
 */
public record HostPolicy(Optional<String> source, boolean allowUnsigned, Map<String, List<TrustedKey>> signers,
                         Set<Permission> deniedPermissions, Optional<Set<ProgramType>> allowedProgramTypes) {
    /** Where the host policy lives unless {@code --policy} names another file. */
    public static final Path DEFAULT_PATH = Path.of("/etc/bpfstore/policy.yaml");
    /** The namespace key whose signers are trusted for every namespace. */
    public static final String ANY_NAMESPACE = "*";

    /** Copies the collections. */
    public HostPolicy {
        Map<String, List<TrustedKey>> copy = new LinkedHashMap<>();
        signers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        signers = Collections.unmodifiableMap(copy);
        EnumSet<Permission> denied = EnumSet.noneOf(Permission.class);
        denied.addAll(deniedPermissions);
        deniedPermissions = Collections.unmodifiableSet(denied);
        allowedProgramTypes = allowedProgramTypes.map(t -> {
            EnumSet<ProgramType> s = EnumSet.noneOf(ProgramType.class);
            s.addAll(t);
            return Collections.unmodifiableSet(s);
        });
    }

    /** The policy of a host without a policy file: signatures required, no signer trusted, nothing else denied. */
    public static HostPolicy defaults() {
        return new HostPolicy(Optional.empty(), false, Map.of(), Set.of(), Optional.empty());
    }

    /**
     * Reads a policy file. Every problem (unreadable, not YAML, unknown key, wrong type, unknown permission or
     * program type, unusable key) is a {@link PolicyException} naming the file, field, line and column; nothing
     * is half-loaded.
     */
    public static HostPolicy load(Path file) {
        String text;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(PolicyParser.MAX_CHARS + 1);
            if (bytes.length > PolicyParser.MAX_CHARS) {
                throw new PolicyException(file.toString(), "", Optional.empty(), "larger than "
                        + PolicyParser.MAX_CHARS + " bytes");
            }
            text = new String(bytes, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new PolicyException(file.toString(), "", Optional.empty(), "no such file");
        } catch (IOException e) {
            throw new PolicyException(file.toString(), "", Optional.empty(), "cannot read: " + e.getMessage());
        }
        return parse(text, file.toString(), file.toAbsolutePath().getParent());
    }

    /** {@link #load} of {@code file} when it exists, else {@link #defaults()} (for {@link #DEFAULT_PATH}). */
    public static HostPolicy loadOrDefaults(Path file) {
        return Files.exists(file) ? load(file) : defaults();
    }

    /** Parses policy text; {@code file} names it in errors, {@code baseDir} resolves relative key paths. */
    public static HostPolicy parse(String text, String file, Path baseDir) {
        return PolicyParser.parse(text, file, baseDir);
    }

    /** This policy with {@code keys} also trusted for {@code namespace} (the command line's {@code --key}). */
    public HostPolicy withSigners(String namespace, List<TrustedKey> keys) {
        Map<String, List<TrustedKey>> more = new LinkedHashMap<>(signers);
        List<TrustedKey> list = new ArrayList<>(more.getOrDefault(namespace, List.of()));
        list.addAll(keys);
        more.put(namespace, list);
        return new HostPolicy(source, allowUnsigned, more, deniedPermissions, allowedProgramTypes);
    }

    /** This policy with unsigned packages allowed (the user's explicit {@code --allow-unsigned}). */
    public HostPolicy allowingUnsigned() {
        return new HostPolicy(source, true, signers, deniedPermissions, allowedProgramTypes);
    }

    /** The keys trusted for {@code namespace}: its own and those of {@code *}. */
    public List<TrustedKey> signersFor(String namespace) {
        List<TrustedKey> out = new ArrayList<>(signers.getOrDefault(namespace, List.of()));
        if (!namespace.equals(ANY_NAMESPACE)) {
            out.addAll(signers.getOrDefault(ANY_NAMESPACE, List.of()));
        }
        return out;
    }

    /**
     * Checks the signature of manifest {@code digest} in {@code repository} against {@link #signersFor} its
     * namespace (the first path segment); never throws for a refusal, the policy judges the result.
     */
    public SignatureCheck checkSignature(RegistryClient client, String repository, Digest digest) {
        int slash = repository.indexOf('/');
        return SignatureCheck.of(client, repository, digest,
                signersFor(slash < 0 ? repository : repository.substring(0, slash)));
    }

    /** Judges {@code subject}: every rule reports, and the decision denies when any rule does. */
    public PolicyDecision evaluate(PolicySubject subject) {
        List<Finding> findings = new ArrayList<>();
        findings.add(signature(subject));
        Set<Permission> all = subject.allPermissions();
        for (Permission p : deniedPermissions) {
            if (all.contains(p)) {
                findings.add(new Finding(Rule.PERMISSION, true, p.id() + " (" + p.description() + ") is denied by "
                        + "deny-permissions: " + evidence(subject, p)));
            }
        }
        if (!deniedPermissions.isEmpty() && findings.stream().noneMatch(f -> f.rule() == Rule.PERMISSION)) {
            findings.add(new Finding(Rule.PERMISSION, false, "needs none of the denied permissions ("
                    + deniedPermissions.stream().map(Permission::id).collect(Collectors.joining(", ")) + ")"));
        }
        allowedProgramTypes.ifPresent(allowed -> {
            Map<ProgramType, List<String>> refused = new LinkedHashMap<>();
            subject.programTypes().forEach((program, type) -> {
                if (!allowed.contains(type)) {
                    refused.computeIfAbsent(type, k -> new ArrayList<>()).add(program);
                }
            });
            refused.forEach((type, programs) -> findings.add(new Finding(Rule.PROGRAM_TYPE, true, "program type "
                    + type.bpftoolName() + " (" + String.join(", ", programs) + ") is not in allow-program-types ("
                    + names(allowed) + ")")));
            if (refused.isEmpty()) {
                findings.add(new Finding(Rule.PROGRAM_TYPE, false, "program types " + names(new TreeSet<>(
                        subject.programTypes().values())) + " are allowed"));
            }
        });
        return new PolicyDecision(subject.reference() + " (" + subject.digest() + ")", findings);
    }

    private Finding signature(PolicySubject subject) {
        String ns = subject.namespace();
        Set<String> trusted = signersFor(ns).stream().map(TrustedKey::fingerprint).collect(Collectors.toSet());
        String unsigned = allowUnsigned ? "; allowed: the policy allows unsigned packages (allow-unsigned: yes, "
                + "or --allow-unsigned)" : "; the policy requires a signature by a trusted signer of " + ns
                + (trusted.isEmpty() ? " and trusts none (add signers." + ns + " to the policy)" : "");
        return switch (subject.signature()) {
            case SignatureCheck.Verified v when trusted.contains(v.fingerprint()) ->
                    new Finding(Rule.SIGNATURE, false, "signed by trusted key " + v.fingerprint());
            case SignatureCheck.Verified v -> new Finding(Rule.SIGNATURE, !allowUnsigned, "signed by key "
                    + v.fingerprint() + ", which the policy does not trust for " + ns + unsigned);
            case SignatureCheck.Refused r when r.tampered() -> new Finding(Rule.SIGNATURE, true,
                    "signature check failed, a sign of tampering: " + r.detail());
            case SignatureCheck.Refused r -> new Finding(Rule.SIGNATURE, !allowUnsigned, r.detail() + unsigned);
            case SignatureCheck.NotChecked n -> new Finding(Rule.SIGNATURE, !allowUnsigned, "signature not "
                    + "checked: " + n.why() + unsigned);
        };
    }

    private static String evidence(PolicySubject subject, Permission p) {
        List<String> where = new ArrayList<>();
        for (ProgramPermissions pp : subject.permissions().values()) {
            for (Evidence e : pp.evidenceFor(p)) {
                where.add(e.toString());
                if (where.size() == 3) {
                    return String.join("; ", where) + "; ...";
                }
            }
        }
        return String.join("; ", where);
    }

    private static String names(Set<ProgramType> types) {
        return types.stream().map(ProgramType::bpftoolName).collect(Collectors.joining(", "));
    }
}
