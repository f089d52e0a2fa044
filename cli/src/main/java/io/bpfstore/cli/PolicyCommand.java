package io.bpfstore.cli;

import io.bpfstore.bytecode.Reportable;
import io.bpfstore.store.policy.HostPolicy;
import io.bpfstore.store.policy.PolicyDecision;
import io.bpfstore.store.policy.PolicySubject;
import io.bpfstore.store.client.PackageReference;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bpfstore policy check PACKAGE [--policy FILE]}: what the host policy decides about a package, with every
 * reason (signature, denied permissions, program types); exit 0 when allowed, 3 when denied.
 */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "The host policy: which packages this host lets bpfstore install (see docs/policy.md).",
        subcommands = {PolicyCommand.Check.class})
final class PolicyCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code bpfstore policy check PACKAGE}. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Explain the host policy's decision on a package (exit 3 when it is denied).")
    static final class Check implements Callable<Integer> {
        @Parameters(paramLabel = "PACKAGE",
                description = "NAMESPACE/NAME@VERSION (or @sha256:DIGEST) in a registry, or a layout directory")
        String pkg;

        @Option(names = "--policy", paramLabel = "FILE",
                description = "policy file (default: /etc/bpfstore/policy.yaml, else the built-in defaults)")
        Path policyFile;

        @Mixin
        RegistryOption registry;

        @Mixin
        OutputOption output;

        @Override
        public Integer call() throws IOException {
            HostPolicy policy = policyFile != null ? HostPolicy.load(policyFile)
                    : HostPolicy.loadOrDefaults(HostPolicy.DEFAULT_PATH);
            Path dir = Path.of(pkg);
            PolicySubject subject = Files.isDirectory(dir) ? PolicySubject.ofLayout(dir) : fromRegistry(policy);
            PolicyDecision decision = policy.evaluate(subject);
            PrintWriter out = output.out();
            String source = policy.source().orElse("built-in defaults (no " + HostPolicy.DEFAULT_PATH + ")");
            if (output.json()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("package", subject.reference());
                doc.put("digest", subject.digest().toString());
                doc.put("policy", source);
                doc.put("decision", decision.allowed() ? "allow" : "deny");
                doc.put("findings", decision.findings().stream().map(f -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("rule", f.rule().name().toLowerCase().replace('_', '-'));
                    m.put("denies", f.denies());
                    m.put("message", f.message());
                    return m;
                }).toList());
                doc.put("permissions", subject.allPermissions().stream().map(p -> p.id()).toList());
                Json.print(out, doc);
            } else {
                Terminal.println(out, decision.toString());
                out.println("policy: " + source);
            }
            out.flush();
            return decision.allowed() ? 0 : Reportable.FINDINGS;
        }

        private PolicySubject fromRegistry(HostPolicy policy) throws IOException {
            PackageReference ref = PackageReference.parse(pkg);
            String reference = ref.reference().orElseThrow(() -> UserError.usage("name the version to check: "
                    + ref.repository() + "@VERSION (or give a layout directory)"));
            return PolicySubject.pull(registry.client(), ref, reference, policy);
        }
    }
}
