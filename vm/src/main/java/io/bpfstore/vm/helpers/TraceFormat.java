package io.bpfstore.vm.helpers;

import io.bpfstore.vm.memory.AddressSpace;

/** Formats {@code bpf_trace_printk} output as the kernel's bstr_printf would for the conversions it allows. */
final class TraceFormat {
    private TraceFormat() {
    }

    static String format(byte[] fmt, AddressSpace memory, long... args) {
        int len = 0;
        while (len < fmt.length && fmt[len] != 0) {
            len++;
        }
        String f = new String(fmt, 0, len, java.nio.charset.StandardCharsets.ISO_8859_1);
        StringBuilder out = new StringBuilder();
        int arg = 0;
        for (int i = 0; i < f.length(); i++) {
            char c = f.charAt(i);
            if (c != '%' || i + 1 >= f.length()) {
                out.append(c);
                continue;
            }
            int j = i + 1;
            if (f.charAt(j) == '%') {
                out.append('%');
                i = j;
                continue;
            }
            boolean wide = false;
            while (j < f.length() && (f.charAt(j) == 'l' || f.charAt(j) == 'h')) {
                wide |= f.charAt(j) == 'l';
                j++;
            }
            if (j >= f.length()) {
                break;
            }
            long v = arg < args.length ? args[arg++] : 0;
            char conv = f.charAt(j);
            String text = switch (conv) {
                case 'd', 'i' -> Long.toString(wide ? v : (int) v);
                case 'u' -> wide ? Long.toUnsignedString(v) : Integer.toUnsignedString((int) v);
                case 'x' -> wide ? Long.toHexString(v) : Integer.toHexString((int) v);
                case 'p' -> "0x" + Long.toHexString(v);
                case 'c' -> String.valueOf((char) (v & 0xff));
                case 's' -> string(memory, v);
                default -> "%" + conv;
            };
            out.append(text);
            i = j;
        }
        return out.toString();
    }

    private static String string(AddressSpace memory, long address) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 256; i++) {
            long b = memory.load(address + i, 1);
            if (b == 0) {
                break;
            }
            s.append((char) b);
        }
        return s.toString();
    }
}
