package io.bpfstore.agent.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpfstore.agent.api.AgentJson;
import io.bpfstore.agent.api.ApiException;
import io.bpfstore.agent.api.InstallBody;
import io.bpfstore.agent.local.LocalInstallations;
import io.bpfstore.install.ResolvedPackage;

/**
 * {@code POST /v1/check}: the gates an install would pass before touching the kernel — the package resolved with
 * digests checked, its signature verified and the host policy's decision — without installing anything.
 */
final class Check {
    private Check() {
    }

    static ObjectNode run(LocalInstallations installations, InstallBody body) {
        if (body.pkg() == null || body.pkg().isBlank()) {
            throw new ApiException(400, "check: pkg (the package to check) is missing");
        }
        ResolvedPackage pkg = installations.admission().admitted(body.pkg(), body.trust());
        ObjectNode n = AgentJson.mapper().createObjectNode();
        n.put("package", pkg.repository());
        n.put("version", pkg.version());
        n.put("digest", pkg.digest());
        n.put("signed_by", pkg.signedBy().orElse(null));
        n.put("programs", pkg.parse().programs().size());
        n.put("policy", "allow");
        return n;
    }
}
