package io.bpfstore.bytecode.btf;

import static io.bpfstore.bytecode.btf.MalformedBtfException.BTF_EXT;

import io.bpfstore.bytecode.ByteReader;
import io.bpfstore.bytecode.MalformedObjectException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parsed {@code .BTF.ext} of an eBPF object: function, line and CO-RE relocation records, grouped by the name of
 * the ELF section whose instructions they describe. Immutable.
 *
 * <p>Offsets in the records are byte offsets from the start of that ELF section, as compilers write them; a
 * section can hold several programs and subprograms, so a loader that loads one program must rebase them to the
 * program's first instruction and convert them to instruction indexes.
 */
public final class BtfExt {
    /** Size of the header up to and including the line_info fields, the oldest version. */
    public static final int MIN_HEADER_SIZE = 24;
    /** Size of the header with the CO-RE relocation fields. */
    public static final int CORE_HEADER_SIZE = 32;

    private static final int FUNC_INFO_MIN = 8, LINE_INFO_MIN = 16, CORE_RELO_MIN = 16;

    private final Map<String, List<FuncInfo>> funcInfos;
    private final Map<String, List<LineInfo>> lineInfos;
    private final Map<String, List<CoreRelocation>> coreRelocations;
    /** Per section, line records sorted by offset for lookups (the file order is kept in {@link #lineInfos}). */
    private final Map<String, List<LineInfo>> linesByOffset;

    private BtfExt(Map<String, List<FuncInfo>> funcInfos, Map<String, List<LineInfo>> lineInfos,
                   Map<String, List<CoreRelocation>> coreRelocations) {
        this.funcInfos = freeze(funcInfos);
        this.lineInfos = freeze(lineInfos);
        this.coreRelocations = freeze(coreRelocations);
        Map<String, List<LineInfo>> sorted = new LinkedHashMap<>();
        lineInfos.forEach((section, lines) -> {
            List<LineInfo> copy = new ArrayList<>(lines);
            copy.sort(Comparator.comparingLong(LineInfo::byteOffset)); // stable: file order among equal offsets
            sorted.put(section, List.copyOf(copy));
        });
        this.linesByOffset = Collections.unmodifiableMap(sorted);
    }

    private static <T> Map<String, List<T>> freeze(Map<String, List<T>> map) {
        Map<String, List<T>> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return Collections.unmodifiableMap(copy);
    }

    /**
     * Parses a {@code .BTF.ext} blob in {@code btf}'s byte order; its string and type references are resolved
     * against {@code btf} (the same object's {@code .BTF}).
     *
     * @throws MalformedBtfException naming {@code .BTF.ext} and the offset of the fault
     */
    public static BtfExt parse(byte[] data, Btf btf) {
        return parse(data, btf.order(), btf);
    }

    /**
     * Parses a {@code .BTF.ext} blob in the given byte order against {@code btf}.
     *
     * @throws MalformedBtfException naming {@code .BTF.ext} and the offset of the fault
     */
    public static BtfExt parse(byte[] data, ByteOrder order, Btf btf) {
        try {
            return new Parser(ByteReader.of(data, order, BTF_EXT), btf).parse();
        } catch (MalformedBtfException e) {
            throw e;
        } catch (MalformedObjectException e) {
            throw MalformedBtfException.of(e);
        }
    }

    /** Function records per ELF section name, sections in file order. */
    public Map<String, List<FuncInfo>> funcInfos() {
        return funcInfos;
    }

    /** Line records per ELF section name, sections and records in file order. */
    public Map<String, List<LineInfo>> lineInfos() {
        return lineInfos;
    }

    /** CO-RE relocations per ELF section name, in file order. */
    public Map<String, List<CoreRelocation>> coreRelocations() {
        return coreRelocations;
    }

    /**
     * The source line of instruction {@code instruction} (an index, 8-byte units) of ELF section {@code section}:
     * the last line record at or before it. Empty when the section has no line records or the instruction comes
     * before the first.
     */
    public Optional<LineInfo> lineAt(String section, long instruction) {
        List<LineInfo> lines = linesByOffset.get(section);
        if (lines == null || instruction < 0) {
            return Optional.empty();
        }
        long offset = instruction * 8;
        int lo = 0, hi = lines.size() - 1, found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (lines.get(mid).byteOffset() <= offset) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found < 0 ? Optional.empty() : Optional.of(lines.get(found));
    }

    /** The function record of the function whose first instruction is {@code instruction} in {@code section}. */
    public Optional<FuncInfo> functionAt(String section, long instruction) {
        return funcInfos.getOrDefault(section, List.of()).stream()
                .filter(f -> f.byteOffset() == instruction * 8).findFirst();
    }

    /** Reads the blob; every fault is a {@link MalformedBtfException} at the offending field. */
    private static final class Parser {
        private final ByteReader in;
        private final Btf btf;

        Parser(ByteReader in, Btf btf) {
            this.in = in;
            this.btf = btf;
        }

        private MalformedBtfException fail(long offset, String problem) {
            return new MalformedBtfException(BTF_EXT, offset, problem);
        }

        BtfExt parse() {
            long hdrLen = BtfHeader.checkPreamble(in, MIN_HEADER_SIZE, MIN_HEADER_SIZE + " bytes", this::fail);
            Map<String, List<FuncInfo>> funcs = new LinkedHashMap<>();
            Map<String, List<LineInfo>> lines = new LinkedHashMap<>();
            Map<String, List<CoreRelocation>> relos = new LinkedHashMap<>();
            records(hdrLen, 8, "func_info", FUNC_INFO_MIN, (section, at) -> {
                long insn = insnOffset(at);
                int typeId = typeId(at + 4);
                if (!(btf.type(typeId) instanceof BtfType.Func func)) {
                    throw fail(at + 4, "func_info names type [" + typeId + "] " + btf.type(typeId).kind()
                            + ", not a FUNC");
                }
                funcs.computeIfAbsent(section, k -> new ArrayList<>()).add(new FuncInfo(insn, typeId, func.name()));
            });
            records(hdrLen, 16, "line_info", LINE_INFO_MIN, (section, at) -> {
                long insn = insnOffset(at);
                String file = string(at + 4, "file name");
                String source = string(at + 8, "source line");
                long lineCol = in.u32(at + 12);
                lines.computeIfAbsent(section, k -> new ArrayList<>())
                        .add(new LineInfo(insn, file, source, (int) (lineCol >>> 10), (int) (lineCol & 0x3ff)));
            });
            if (hdrLen >= CORE_HEADER_SIZE) {
                records(hdrLen, 24, "core_relo", CORE_RELO_MIN, (section, at) -> {
                    long insn = insnOffset(at);
                    int typeId = typeId(at + 4);
                    String access = string(at + 8, "access string");
                    long kindNumber = in.u32(at + 12);
                    CoreRelocationKind kind = CoreRelocationKind.ofNumber(kindNumber);
                    if (kind == null) {
                        throw fail(at + 12, "unknown CO-RE relocation kind " + kindNumber);
                    }
                    relos.computeIfAbsent(section, k -> new ArrayList<>())
                            .add(new CoreRelocation(insn, typeId, access, kind));
                });
            }
            return new BtfExt(funcs, lines, relos);
        }

        /** Handles one record at blob offset {@code at} of section {@code section}. */
        private interface RecordReader {
            void read(String section, long at);
        }

        /**
         * Walks one info area: a record size, then blocks of (section name offset, record count, records). The
         * area's offset and length are the header fields at {@code field} and {@code field + 4}.
         */
        private void records(long hdrLen, long field, String what, int minRecord, RecordReader reader) {
            long off = in.u32(field), len = in.u32(field + 4);
            long body = in.length() - hdrLen;
            if (off > body || len > body - off) {
                throw fail(field + 4, what + " (offset " + off + ", length " + len + ") extends past the end ("
                        + body + " bytes after the header)");
            }
            if (len == 0) {
                return;
            }
            long start = hdrLen + off, end = start + len;
            if (len < 4) {
                throw fail(start, what + " is " + len + " bytes, too short for its record size");
            }
            long recordSize = in.u32(start);
            if (recordSize < minRecord || (recordSize & 3) != 0) {
                throw fail(start, what + " record size " + recordSize + " is invalid (at least " + minRecord
                        + ", a multiple of 4)");
            }
            long pos = start + 4;
            while (pos < end) {
                if (end - pos < 8) {
                    throw fail(pos, what + " section header truncated (" + (end - pos) + " bytes left)");
                }
                String section = string(pos, "section name");
                long count = in.u32(pos + 4);
                if (count == 0) {
                    throw fail(pos + 4, what + " block for section '" + section + "' has no records");
                }
                if (count > (end - pos - 8) / recordSize) {
                    throw fail(pos + 4, what + " block for section '" + section + "' claims " + count
                            + " records of " + recordSize + " bytes, but only " + (end - pos - 8) + " bytes remain");
                }
                for (long i = 0; i < count; i++) {
                    reader.read(section, pos + 8 + i * recordSize);
                }
                pos += 8 + count * recordSize;
            }
        }

        private long insnOffset(long at) {
            long insn = in.u32(at);
            if ((insn & 7) != 0) {
                throw fail(at, "instruction offset " + insn + " is not a multiple of 8 bytes");
            }
            return insn;
        }

        private int typeId(long at) {
            long id = in.u32(at);
            if (id >= btf.typeCount()) {
                throw fail(at, "type id " + id + " out of range (the last type id is " + (btf.typeCount() - 1)
                        + ")");
            }
            return (int) id;
        }

        private String string(long at, String what) {
            long offset = in.u32(at);
            return btf.string(offset).orElseThrow(() -> fail(at, what + " string offset " + offset
                    + " is outside the .BTF string section"));
        }
    }
}
