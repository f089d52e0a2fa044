package io.bpfstore.agent.local;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpfstore.agent.api.AgentJson;
import io.bpfstore.install.Installation;
import io.bpfstore.install.InstallationStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Installations and their kernel status as the API's JSON documents (the shapes in docs/agent-api.yaml). */
public final class InstallationJson {
    private InstallationJson() {
    }

    /** One installation as recorded. */
    public static ObjectNode of(Installation i) {
        ObjectNode n = AgentJson.mapper().createObjectNode();
        n.put("name", i.id());
        n.put("package", i.pkg().repository());
        n.put("version", i.pkg().version());
        n.put("digest", i.pkg().digest());
        n.put("source", i.pkg().source());
        n.put("signed_by", i.pkg().signedBy().orElse(null));
        n.put("hook", i.target().kind());
        n.put("target", i.target().describe());
        ArrayNode programs = n.putArray("programs");
        i.programs().forEach(programs::add);
        n.put("priority", i.priority());
        ArrayNode proceed = n.putArray("proceed_on");
        i.proceedOn().forEach(proceed::add);
        n.put("forced", i.forced());
        n.put("generation", i.generation());
        n.put("installed_at", i.installedAt().toString());
        return n;
    }

    /** An installation with its programs, links and maps as the kernel reports them now. */
    public static ObjectNode of(InstallationStatus s) {
        ObjectNode n = of(s.installation());
        List<InstallationStatus.ObjectStatus> objects = new ArrayList<>(s.objects());
        s.dispatcher().ifPresent(objects::add);
        ArrayNode array = n.putArray("objects");
        for (InstallationStatus.ObjectStatus o : objects) {
            ObjectNode j = array.addObject();
            j.put("kind", s.dispatcher().filter(d -> d == o).isPresent() ? "dispatcher"
                    : o.kind().name().toLowerCase(Locale.ROOT));
            j.put("name", o.name());
            j.put("pin", o.pin().toString());
            j.put("alive", o.alive());
            j.put("id", o.id());
            j.put("detail", o.detail());
            j.put("run_count", o.runCount());
            j.put("run_time_ns", o.runTimeNanos());
        }
        return n;
    }
}
