package io.bpfstore.bytecode.helpers;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A helper's C prototype as the kernel's UAPI header documents it, e.g. {@code long bpf_map_update_elem(struct
 * bpf_map *map, const void *key, const void *value, u64 flags)}, with the return and argument kinds read from it.
 *
 * @param text       the prototype as written in the header
 * @param name       the function name, e.g. {@code bpf_map_update_elem}
 * @param returnType the C return type as written, e.g. {@code long}, {@code void *}
 * @param returnKind what the return type is
 * @param arguments  the parameters in order; empty for {@code (void)}
 */
public record HelperPrototype(String text, String name, String returnType, ReturnKind returnKind,
        List<HelperArgument> arguments) {

    private static final Pattern PROTOTYPE =
            Pattern.compile("(?<ret>[A-Za-z_][A-Za-z0-9_ ]*?\\s*\\**)\\s*(?<name>bpf_[A-Za-z0-9_]+)\\((?<args>[^()]*)\\)");
    private static final Pattern ARGUMENT = Pattern.compile("(?<type>[A-Za-z_][A-Za-z0-9_ ]*?\\s*\\**)\\s*"
            + "(?<name>[A-Za-z_][A-Za-z0-9_]*)");
    /** Pointer types that are the program's context in the helpers that take them. */
    private static final Set<String> CONTEXT_TYPES = Set.of(
            "struct sk_buff *", "struct xdp_buff *", "struct bpf_sock_ops *", "struct sk_msg_buff *",
            "struct bpf_sock_addr *", "struct pt_regs *", "struct bpf_perf_event_data *",
            "struct sk_reuseport_md *", "struct bpf_sysctl *", "struct bpf_sk_lookup *");
    /** Untyped pointer parameters that are the context: the header names them so. */
    private static final Set<String> CONTEXT_NAMES = Set.of("ctx", "skb", "bpf_socket");
    /** Pointers to kernel objects the program got from the kernel (BTF pointers, sockets). */
    private static final Set<String> KERNEL_OBJECT_TYPES = Set.of(
            "struct bpf_sock *", "struct sock *", "struct socket *", "struct task_struct *", "struct file *",
            "struct cgroup *", "struct inode *", "struct seq_file *", "struct linux_binprm *",
            "const struct path *", "struct path *");
    /** Untyped pointer parameters that are kernel objects: the header names them so. */
    private static final Set<String> KERNEL_OBJECT_NAMES = Set.of("sk", "sock", "tp", "inode", "ptr");
    private static final Pattern SIZE_NAME =
            Pattern.compile("size|len|sz|bytes|plen|optlen|size_of_buf|[a-z0-9_]+_(size|len|sz)");
    private static final Set<String> INTEGER_TYPES = Set.of(
            "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "int", "long", "unsigned long", "size_t",
            "__be16", "__be32", "__wsum");

    /** Checks that no part is null; copies the arguments. */
    public HelperPrototype {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(returnType, "returnType");
        Objects.requireNonNull(returnKind, "returnKind");
        arguments = List.copyOf(arguments);
    }

    /**
     * Parses a prototype line of the UAPI header's helper documentation (without the leading {@code " * "}).
     *
     * <p>Argument kinds follow these rules, first match wins: {@code ...} is variadic; {@code struct bpf_map *}
     * or {@code void *map}/{@code void *ringbuf} a map; {@code callback_fn} a callback; {@code callback_ctx}, or
     * an untyped pointer right after a callback, the callback's context; a
     * context type ({@code struct sk_buff *}...) or an untyped pointer named {@code ctx}/{@code skb}/{@code
     * bpf_socket} the context; {@code struct bpf_dynptr *} a dynptr; {@code struct bpf_spin_lock *}/{@code struct
     * bpf_timer *} a map value field; a kernel object type or an untyped pointer named {@code sk}/{@code
     * sock}/{@code tp}/{@code inode}/{@code ptr} a kernel object; any other pointer readable memory if {@code
     * const}, else writable memory; an integer named {@code flags} flags; an integer named like a size right
     * after a memory argument a size; any other integer a scalar.
     *
     * @throws IllegalArgumentException if {@code text} is not a C prototype of a {@code bpf_} function
     */
    public static HelperPrototype parse(String text) {
        Matcher m = PROTOTYPE.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a helper prototype: \"" + text + "\"");
        }
        String returnType = normalize(m.group("ret"));
        List<HelperArgument> arguments = new ArrayList<>();
        String args = m.group("args").strip();
        if (!args.equals("void")) {
            ArgumentKind previous = null;
            for (String raw : args.split(",", -1)) {
                HelperArgument argument = argument(raw.strip(), previous, text);
                arguments.add(argument);
                previous = argument.kind();
            }
        }
        return new HelperPrototype(text.strip(), m.group("name"), returnType, returnKind(returnType, text),
                arguments);
    }

    private static HelperArgument argument(String raw, ArgumentKind previous, String text) {
        if (raw.equals("...")) {
            return new HelperArgument("...", "", ArgumentKind.VARIADIC);
        }
        Matcher m = ARGUMENT.matcher(raw);
        if (!m.matches() || m.group("type").isBlank()) {
            throw new IllegalArgumentException("cannot read parameter \"" + raw + "\" of \"" + text + "\"");
        }
        String type = normalize(m.group("type"));
        String name = m.group("name");
        return new HelperArgument(type, name, kind(type, name, previous, raw, text));
    }

    private static ArgumentKind kind(String type, String name, ArgumentKind previous, String raw, String text) {
        boolean pointer = type.endsWith("*");
        boolean untyped = type.equals("void *") || type.equals("const void *");
        if (!pointer) {
            if (!INTEGER_TYPES.contains(type)) {
                throw new IllegalArgumentException("unknown parameter type in \"" + raw + "\" of \"" + text + "\"");
            }
            if (name.equals("flags")) {
                return ArgumentKind.FLAGS;
            }
            boolean afterMemory = previous == ArgumentKind.READABLE_MEMORY || previous == ArgumentKind.WRITABLE_MEMORY;
            return afterMemory && SIZE_NAME.matcher(name).matches() ? ArgumentKind.SIZE : ArgumentKind.SCALAR;
        }
        if (type.equals("struct bpf_map *") || (untyped && (name.equals("map") || name.equals("ringbuf")))) {
            return ArgumentKind.MAP;
        }
        if (name.equals("callback_fn")) {
            return ArgumentKind.CALLBACK;
        }
        if (name.equals("callback_ctx") || (untyped && previous == ArgumentKind.CALLBACK)) {
            return ArgumentKind.CALLBACK_CONTEXT;
        }
        if (CONTEXT_TYPES.contains(type) || (untyped && CONTEXT_NAMES.contains(name))) {
            return ArgumentKind.CONTEXT;
        }
        if (type.endsWith("struct bpf_dynptr *")) {
            return ArgumentKind.DYNPTR;
        }
        if (type.equals("struct bpf_spin_lock *") || type.equals("struct bpf_timer *")) {
            return ArgumentKind.MAP_VALUE_FIELD;
        }
        if (KERNEL_OBJECT_TYPES.contains(type) || (untyped && KERNEL_OBJECT_NAMES.contains(name))) {
            return ArgumentKind.KERNEL_OBJECT;
        }
        return type.startsWith("const ") ? ArgumentKind.READABLE_MEMORY : ArgumentKind.WRITABLE_MEMORY;
    }

    private static ReturnKind returnKind(String type, String text) {
        if (type.equals("void")) {
            return ReturnKind.VOID;
        }
        if (type.equals("void *")) {
            return ReturnKind.MEMORY;
        }
        if (type.startsWith("struct ") && type.endsWith("*")) {
            return ReturnKind.KERNEL_OBJECT;
        }
        if (INTEGER_TYPES.contains(type)) {
            return ReturnKind.INTEGER;
        }
        throw new IllegalArgumentException("unknown return type \"" + type + "\" in \"" + text + "\"");
    }

    /** {@code "const void*"}, {@code "const  void *"} → {@code "const void *"}. */
    private static String normalize(String type) {
        String t = type.strip().replaceAll("\\s+", " ");
        int star = t.indexOf('*');
        if (star > 0) {
            t = t.substring(0, star).strip() + " " + t.substring(star).replace(" ", "");
        }
        return t;
    }
}
