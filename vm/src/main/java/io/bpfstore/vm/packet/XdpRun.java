package io.bpfstore.vm.packet;

import io.bpfstore.bytecode.sections.XdpAction;
import io.bpfstore.vm.Code;
import io.bpfstore.vm.Executor;
import io.bpfstore.vm.Machine;
import io.bpfstore.vm.helpers.Environment;
import io.bpfstore.vm.helpers.PacketHelpers;
import java.util.List;
import java.util.Optional;

/**
 * Runs XDP programs on packets in one environment (its maps keep their contents from packet to packet), as
 * the kernel's {@code BPF_PROG_TEST_RUN} would: the verdict, the packet as the program left it, and where a
 * redirect sent it.
 */
public final class XdpRun {
    /** What one program did to one packet. */
    public record Outcome(long verdict, byte[] packet, Optional<Environment.Redirect> redirect, List<String> trace) {
    }

    private final Environment env;
    private final Machine machine;
    private final Executor executor;
    private final PacketHelpers helpers;

    /** A run over {@code env}'s maps with the given executor (interpreter or compiled form). */
    public XdpRun(Environment env, Executor executor) {
        this.env = env;
        this.executor = executor;
        this.helpers = new PacketHelpers(env, XdpAction.REDIRECT.number(), 0);
        this.machine = new Machine(env.memory(), helpers.helpers());
    }

    /** Helpers {@code code} calls that the VM does not model; a run is refused while this is not empty. */
    public List<String> unsupported(Code code) {
        return helpers.unsupported(code);
    }

    /** Runs {@code code} on a copy of {@code packet} arriving on {@code ifindex}. */
    public Outcome run(Code code, byte[] packet, int ifindex) {
        List<String> missing = unsupported(code);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(code.name() + " calls helpers the VM does not model: "
                    + String.join(", ", missing));
        }
        Packet p = new Packet(packet);
        p.attach(env.memory());
        XdpContext ctx = new XdpContext(p, ifindex, 0);
        long ctxAddress = env.memory().map(ctx);
        long packetAddress = p.data() & 0xffffffff00000000L;
        env.packet(p);
        try {
            long verdict = executor.run(machine, code, ctxAddress, 0);
            return new Outcome(verdict & 0xffffffffL, p.bytes(), env.redirect(), env.trace());
        } finally {
            env.memory().unmap(ctxAddress);
            env.memory().unmap(packetAddress);
        }
    }
}
