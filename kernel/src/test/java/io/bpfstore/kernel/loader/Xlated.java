package io.bpfstore.kernel.loader;

import io.bpfstore.kernel.BpfMap;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Translated (post-verifier) instructions in a form that two loads of the same object can be compared in: map
 * references, which the kernel dumps as map ids, become map names; every other bit is kept.
 */
final class Xlated {
    private final Map<Integer, String> names = new HashMap<>();

    List<String> normalise(byte[] xlated) {
        ByteBuffer b = ByteBuffer.wrap(xlated).order(ByteOrder.LITTLE_ENDIAN);
        int slots = xlated.length / 8;
        List<String> out = new ArrayList<>(slots);
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < slots; i++) {
            int code = b.get(i * 8) & 0xff;
            int src = (b.get(i * 8 + 1) >> 4) & 0xf;
            if (code == 0x18 && i + 1 < slots && (src == 1 || src == 2)) {
                int id = b.getInt(i * 8 + 4);
                out.add(i + ": ld_imm64 dst=" + (b.get(i * 8 + 1) & 0xf) + " src=" + src + " map=" + mapName(id)
                        + " off=" + b.getInt(i * 8 + 12));
                out.add((i + 1) + ": (second slot)");
                i++;
                continue;
            }
            out.add(i + ": " + hex.formatHex(xlated, i * 8, i * 8 + 8));
        }
        return out;
    }

    private String mapName(int id) {
        return names.computeIfAbsent(id, k -> {
            try (BpfMap m = BpfMap.fromId(k)) {
                return m.info().name();
            }
        });
    }
}
