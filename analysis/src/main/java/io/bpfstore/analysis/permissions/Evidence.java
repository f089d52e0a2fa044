package io.bpfstore.analysis.permissions;

import io.bpfstore.analysis.domain.Site;
import io.bpfstore.bytecode.btf.LineInfo;
import java.util.Optional;

/**
 * Why a program has a permission: the instruction (or, for permissions from the program type, none) and its
 * source line when BTF line info is present.
 *
 * @param permission  the permission
 * @param program     the program's name
 * @param site        the instruction responsible, empty when the program type alone grants the permission
 * @param text        the instruction as llvm-objdump prints it, empty with {@code site}
 * @param line        the source line, when the object has BTF line info
 * @param reason      short words on why (the helper's name, the verdict, the program type)
 */
public record Evidence(Permission permission, String program, Optional<Site> site, Optional<String> text,
                       Optional<LineInfo> line, String reason) {
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(permission.description()).append(" (").append(program);
        site.ifPresent(s -> {
            if (!s.function().equals(program)) {
                sb.append(" in ").append(s.function());
            }
            sb.append(", insn ").append(s.slot());
        });
        text.ifPresent(t -> sb.append(": ").append(t));
        line.ifPresent(l -> sb.append(" at ").append(baseName(l.fileName())).append(':').append(l.line()));
        sb.append("; ").append(reason).append(')');
        return sb.toString();
    }

    private static String baseName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}
