package io.bpfstore.agent.local;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpfstore.agent.api.ApiException;
import io.bpfstore.agent.api.CheckRequest;
import io.bpfstore.analysis.clash.CheckedPackage;
import io.bpfstore.analysis.clash.ClashReport;
import io.bpfstore.install.HostClashCheck;
import io.bpfstore.install.PackageSource;
import io.bpfstore.install.ResolvedPackage;
import io.bpfstore.install.api.Trust;
import io.bpfstore.store.signing.SignaturePolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * {@code POST /v1/check}: the packages checked against each other and the host as it is now, as {@code bpfstore
 * check --host} does, through install's {@link HostClashCheck} (the host reader of install's preflight, bpfstore's
 * own programs per the agent's state taken as owned, not foreign). Registry packages are pulled and analysed, never
 * loaded, so no signature is needed.
 */
public final class HostCheck {
    private HostCheck() {
    }

    /** The report as {@link ClashJson}, plus {@code lines} (the text {@code check} prints). */
    public static ObjectNode run(CheckRequest request, LocalInstallations installations) {
        if (request.packages().isEmpty()) {
            throw new ApiException(400, "check: packages (object files or NS/NAME[@VERSION]) is empty");
        }
        List<CheckedPackage> checked = new ArrayList<>();
        for (String name : request.packages()) {
            if (PackageSource.isLocal(name)) {
                if (!name.startsWith("/")) {
                    throw new ApiException(400, "check: " + name + " is a relative path; the agent needs absolute ones");
                }
                checked.add(new CheckedPackage(Path.of(name).getFileName().toString(),
                        PackageSource.local(name).parse()));
            } else {
                Trust trust = new Trust(request.registry(), List.of(), true, java.util.Optional.empty());
                ResolvedPackage pkg = PackageSource.pull(name, installations.registry(trust),
                        new SignaturePolicy.AllowUnsigned());
                checked.add(new CheckedPackage(pkg.repository() + "@" + pkg.version(), pkg.parse()));
            }
        }
        ClashReport report;
        try {
            report = installations.service().checkHost(checked, HostClashCheck.at(request.netns(), request.iface(),
                    request.cgroup().map(Path::of), request.budget().map(OptionalLong::of).orElse(OptionalLong.empty())));
        } catch (IOException e) {
            throw new UncheckedIOException("read the host's eBPF state: " + e.getMessage(), e);
        }
        ObjectNode json = ClashJson.of(report);
        ArrayNode lines = json.putArray("lines");
        report.lines().forEach(lines::add);
        return json;
    }
}
