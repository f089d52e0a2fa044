package io.bpfstore.analysis.clash;

import io.bpfstore.kernel.TestRun;
import io.bpfstore.kernel.dispatch.ComposedProgram;
import io.bpfstore.kernel.dispatch.XdpComposer;
import io.bpfstore.kernel.dispatch.XdpMember;
import io.bpfstore.kernel.loader.LoadOptions;
import io.bpfstore.kernel.loader.LoadedObject;
import io.bpfstore.kernel.loader.Loader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel as the oracle of a clash scenario: the packages' XDP programs loaded (no pins) and composed by the
 * dispatcher in the order given (the first runs first, as the clash check takes them), run by BPF_PROG_TEST_RUN on
 * a frame, each also on its own. Only file descriptors are held: nothing is attached, closing frees everything.
 */
final class KernelChain implements AutoCloseable {
    private final List<CheckedPackage> packages;
    private final List<LoadedObject> loaded = new ArrayList<>();
    private final ComposedProgram composed;

    KernelChain(CheckedPackage... packages) {
        this.packages = List.of(packages);
        List<XdpMember> members = new ArrayList<>();
        try {
            for (int i = 0; i < packages.length; i++) {
                CheckedPackage p = packages[i];
                LoadedObject l = Loader.load(p.object(), LoadOptions.defaults().withoutPinning());
                loaded.add(l);
                members.add(XdpMember.of("m" + i, p.object(), program(p), i + 1, l.maps()));
            }
            composed = XdpComposer.compose(members, LoadOptions.defaults());
        } catch (RuntimeException e) {
            loaded.forEach(LoadedObject::close);
            throw e;
        }
    }

    private static String program(CheckedPackage p) {
        return p.object().programs().getFirst().name();
    }

    /** One run of the composed chain over {@code frame}. */
    TestRun.Result run(byte[] frame) {
        return composed.program().testRun(TestRun.of(frame));
    }

    /** One run of member {@code index}'s program alone over {@code frame}. */
    TestRun.Result alone(int index, byte[] frame) {
        return loaded.get(index).program(program(packages.get(index))).testRun(TestRun.of(frame));
    }

    /** The u64 at key 0 of array map {@code map} of member {@code index}. */
    long counter(int index, String map) {
        byte[] v = loaded.get(index).map(map).lookup(new byte[4]).orElseThrow();
        return ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getLong();
    }

    @Override
    public void close() {
        composed.close();
        loaded.forEach(LoadedObject::close);
    }

    /**
     * An Ethernet + IPv4 + TCP or UDP frame from 10.1.0.1 to 10.1.0.2, TTL 64, TOS 0, with a valid IPv4 checksum.
     *
     * @param protocol 6 (TCP) or 17 (UDP)
     * @param dstPort  the destination port
     */
    static byte[] frame(int protocol, int dstPort) {
        int l4 = protocol == 6 ? 20 : 8;
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + l4 + 16).order(ByteOrder.BIG_ENDIAN);
        b.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4 + 16)).putInt(0).put((byte) 64)
                .put((byte) protocol).putShort((short) 0).putInt(0x0a010001).putInt(0x0a010002);
        b.putShort(24, ipChecksum(b.array(), 14));
        b.putShort((short) 40000).putShort((short) dstPort);
        if (protocol == 6) {
            b.putInt(1).putInt(0).put((byte) 0x50).put((byte) 0x02).putShort((short) 1024).putInt(0);
        } else {
            b.putShort((short) (8 + 16)).putShort((short) 0);
        }
        return b.array();
    }

    /** The IPv4 header checksum of the 20 bytes at {@code at} (its own checksum field read as is). */
    static short ipChecksum(byte[] frame, int at) {
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += ((frame[at + i] & 0xff) << 8) | (frame[at + i + 1] & 0xff);
        }
        while (sum >> 16 != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (short) ~sum;
    }
}
