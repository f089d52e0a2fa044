package io.bpfstore.install.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The service's requests and results travel as JSON unchanged (the agent's API and its CLI client) and hold only
 * plain values, so a client loads no kernel, analysis or store code to carry them.
 */
class ApiRecordsTest {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new Jdk8Module());
    private static final List<Class<?>> RECORDS = List.of(InstallRequest.class, UpgradeRequest.class, Target.class,
            Trust.class, InstallationView.class, InstallResult.class, UpgradeResult.class, StatusResult.class,
            ObjectState.class, DoctorResult.class);

    private static final InstallationView VIEW = new InstallationView("fw", "acme/fw", "1.2.0", "sha256:ab",
            "acme/fw@1.2.0", Optional.of("SHA256:key"), HookKind.TC, "tc egress on v0 (netns n)", Optional.of("v0"),
            Optional.of("n"), Optional.of(TrafficDirection.EGRESS), Optional.of(TcMode.TCX), Optional.empty(),
            List.of("drop"), 20, List.of(), true, 3, "2026-12-07T19:00:00Z");

    @Test
    void everyRecordRoundTripsThroughJson() throws IOException {
        Trust trust = new Trust(Optional.of("http://127.0.0.1:5000"), List.of("/k.pem"), true, Optional.empty());
        List<Object> values = List.of(
                new InstallRequest("acme/fw@1.2.0", new Target(Optional.of("v0"), Optional.of("n"),
                        Optional.of(TrafficDirection.EGRESS), Optional.of(TcMode.LEGACY), Optional.empty()),
                        Optional.of("drop"), Optional.empty(), Optional.of(20), Optional.of(List.of("pass")), true,
                        false, trust, java.util.Map.of("blocked_port", "53")),
                InstallRequest.of("/tmp/x.o", Target.none(), Trust.defaults()),
                new UpgradeRequest("fw@1.3.0", Optional.empty(), true, trust, false),
                new InstallResult(VIEW, List.of("warning: clash"), List.of("fw", "other")),
                new UpgradeResult(VIEW, "1.1.0", List.of("fw")),
                new StatusResult(VIEW, List.of(new ObjectState(ObjectKind.DISPATCHER, "xdp-host-v0", "/sys/fs/bpf/x",
                        true, 7, "xdp program 9", 10, 200))),
                new DoctorResult(List.of("orphan pin /a"), List.of()));
        for (Object value : values) {
            String text = JSON.writeValueAsString(value);
            assertEquals(value, JSON.readValue(text, value.getClass()), text);
        }
    }

    @Test
    void recordsHoldOnlyPlainValues() {
        for (Class<?> record : RECORDS) {
            for (RecordComponent c : record.getRecordComponents()) {
                assertPlain(c.getGenericType(), record.getSimpleName() + "." + c.getName());
            }
        }
    }

    private static void assertPlain(Type type, String where) {
        if (type instanceof ParameterizedType p) {
            assertTrue(Set.of(List.class, Optional.class, java.util.Map.class).contains(p.getRawType()), where + ": " + type);
            for (Type argument : p.getActualTypeArguments()) {
                assertPlain(argument, where);
            }
            return;
        }
        Class<?> c = (Class<?>) type;
        boolean plain = c.isPrimitive() || c == String.class || c == Integer.class || c == Long.class
                || c == Boolean.class || c.getPackageName().equals(ApiRecordsTest.class.getPackageName());
        assertTrue(plain, where + " is " + c.getName() + ", not a plain value");
    }
}
