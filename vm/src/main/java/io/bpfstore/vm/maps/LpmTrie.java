package io.bpfstore.vm.maps;

import static io.bpfstore.vm.HelperErrno.EINVAL;

import io.bpfstore.vm.memory.AddressSpace;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code BPF_MAP_TYPE_LPM_TRIE}: keys are {@code struct bpf_lpm_trie_key} (a 32-bit prefix length, then the data
 * in network order); a lookup finds the stored entry with the longest prefix that matches. Entries are kept in
 * a table and matched by scanning it, which is plenty for the sizes packet programs use in a replay.
 */
public final class LpmTrie implements VmMap.KeyValue {
    private final HashTable table;
    /** The stored (canonical) keys, longest prefix first, so a lookup takes the first that matches. */
    private final java.util.List<byte[]> byPrefix = new java.util.ArrayList<>();
    private final int keySize;
    private final int maxPrefix;

    /** @param keySize size of the whole key, prefix length included */
    public LpmTrie(String name, int keySize, int valueSize, int maxEntries) {
        this.table = new HashTable(name, keySize, valueSize, maxEntries, 1, 0, false);
        this.keySize = keySize;
        this.maxPrefix = (keySize - 4) * 8;
    }

    @Override
    public String name() {
        return table.name();
    }

    @Override
    public int keySize() {
        return keySize;
    }

    @Override
    public int valueSize() {
        return table.valueSize();
    }

    private static int prefix(byte[] key) {
        return ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    /** The key with bits past its prefix cleared, so equal prefixes compare equal. */
    private byte[] canonical(byte[] key) {
        byte[] k = key.clone();
        int prefix = prefix(k);
        for (int bit = prefix; bit < maxPrefix; bit++) {
            k[4 + bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return k;
    }

    private static boolean matches(byte[] stored, byte[] key) {
        int prefix = prefix(stored);
        if (prefix > prefix(key)) {
            return false;
        }
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((stored[4 + bit / 8] & mask) != (key[4 + bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public long lookup(byte[] key) {
        for (byte[] stored : byPrefix) {
            if (matches(stored, key)) {
                return table.lookup(stored);
            }
        }
        return 0;
    }

    @Override
    public long update(byte[] key, byte[] value, long flags) {
        if (Integer.compareUnsigned(prefix(key), maxPrefix) > 0) {
            return EINVAL;
        }
        byte[] k = canonical(key);
        long result = table.update(k, value, flags);
        if (result == 0 && byPrefix.stream().noneMatch(b -> Arrays.equals(b, k))) {
            byPrefix.add(k);
            byPrefix.sort((a, b) -> Integer.compare(prefix(b), prefix(a)));
        }
        return result;
    }

    @Override
    public long delete(byte[] key) {
        if (Integer.compareUnsigned(prefix(key), maxPrefix) > 0) {
            return EINVAL;
        }
        byte[] k = canonical(key);
        long result = table.delete(k);
        if (result == 0) {
            byPrefix.removeIf(b -> Arrays.equals(b, k));
        }
        return result;
    }

    @Override
    public Map<MapKey, List<byte[]>> entries() {
        return new LinkedHashMap<>(table.entries());
    }

    @Override
    public void attach(AddressSpace memory) {
        table.attach(memory);
    }

    @Override
    public String toString() {
        return "lpm_trie " + name() + " " + Arrays.toString(new int[] {keySize, maxPrefix});
    }
}
