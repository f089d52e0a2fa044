package io.bpfstore.bytecode.assembler;

import java.math.BigInteger;

/**
 * Reads one line of assembly from left to right and reports faults with the line and column where the reading
 * stopped. Both dialects share it; neither needs more than one character of look-ahead beyond the words it
 * tries.
 */
final class Cursor {
    private static final BigInteger MIN_S32 = BigInteger.valueOf(Integer.MIN_VALUE);
    private static final BigInteger MAX_U32 = BigInteger.valueOf(0xffff_ffffL);
    private static final BigInteger MAX_S32 = BigInteger.valueOf(Integer.MAX_VALUE);
    private static final BigInteger MIN_S64 = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger MAX_U64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /** A number as written: its value and whether it was hexadecimal. */
    record Number(BigInteger value, boolean hex, int column) {
    }

    private final String source;
    private final int line;
    private final String text;
    private int at;

    /**
     * @param source name of the source, for errors
     * @param line   line number from 1
     * @param text   the line without its comment
     */
    Cursor(String source, int line, String text) {
        this.source = source;
        this.line = line;
        this.text = text;
    }

    /** The line number, from 1. */
    int line() {
        return line;
    }

    /** The column of the next character that is not blank, from 1 (faults point at words, not at blanks). */
    int column() {
        skipBlanks();
        return at + 1;
    }

    /** Moves to {@code column} (from 1), to retry another reading of the same text. */
    void reset(int column) {
        at = column - 1;
    }

    /** Skips blanks. */
    void skipBlanks() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    /** Whether only blanks remain. */
    boolean atEnd() {
        skipBlanks();
        return at >= text.length();
    }

    /** The next character after blanks, or 0 at the end. */
    char peek() {
        skipBlanks();
        return at < text.length() ? text.charAt(at) : 0;
    }

    /** The next character without skipping blanks, or 0 at the end. */
    char peekRaw() {
        return at < text.length() ? text.charAt(at) : 0;
    }

    /** Whether the rest, after blanks, starts with {@code word}; does not move. */
    boolean lookingAt(String word) {
        skipBlanks();
        return text.startsWith(word, at);
    }

    /** Consumes {@code token} after blanks if it is next. */
    boolean accept(String token) {
        skipBlanks();
        if (text.startsWith(token, at)) {
            at += token.length();
            return true;
        }
        return false;
    }

    /** Consumes the word {@code word} if it is next and not followed by a letter, digit or underscore. */
    boolean acceptWord(String word) {
        skipBlanks();
        int end = at + word.length();
        if (text.startsWith(word, at) && (end >= text.length() || !isWordChar(text.charAt(end)))) {
            at = end;
            return true;
        }
        return false;
    }

    /** Consumes {@code token} or fails naming what was expected. */
    void expect(String token) {
        if (!accept(token)) {
            throw error("expected '" + token + "' but found " + rest());
        }
    }

    /** Fails unless only blanks remain. */
    void expectEnd() {
        if (!atEnd()) {
            throw error("unexpected '" + text.substring(at).strip() + "' at the end of the instruction");
        }
    }

    /** Reads a word of letters, digits, underscores and dots (a mnemonic or label), or returns "". */
    String word() {
        skipBlanks();
        int start = at;
        while (at < text.length() && (isWordChar(text.charAt(at)) || text.charAt(at) == '.')) {
            at++;
        }
        return text.substring(start, at);
    }

    /** Whether the next character, after blanks, starts a number (a digit or a sign). */
    boolean atNumber() {
        char c = peek();
        return Character.isDigit(c) || ((c == '-' || c == '+')
                && at + 1 < text.length() && Character.isDigit(text.charAt(at + 1)));
    }

    /** Reads {@code [+-]?(0x<hex>|<decimal>)}. */
    Number number() {
        skipBlanks();
        int start = at;
        boolean negative = false;
        if (at < text.length() && (text.charAt(at) == '-' || text.charAt(at) == '+')) {
            negative = text.charAt(at) == '-';
            at++;
        }
        boolean hex = text.startsWith("0x", at) || text.startsWith("0X", at);
        if (hex) {
            at += 2;
        }
        int digits = at;
        while (at < text.length() && Character.digit(text.charAt(at), hex ? 16 : 10) >= 0) {
            at++;
        }
        if (at == digits) {
            at = start;
            throw error("expected a number but found " + rest());
        }
        if (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')
                && !text.startsWith("ll", at)) {
            int bad = at;
            at = start;
            throw error("malformed number '" + text.substring(start, Math.min(text.length(), bad + 1)) + "'");
        }
        BigInteger magnitude = new BigInteger(text.substring(digits, at), hex ? 16 : 10);
        return new Number(negative ? magnitude.negate() : magnitude, hex, start + 1);
    }

    /**
     * An immediate of a 32-bit field. Hexadecimal may be written as the field's bit pattern (up to
     * {@code 0xffffffff}); decimal must be a signed 32-bit value unless {@code unsignedDecimal} allows up to
     * 4294967295 too (LLVM does, bpf_conformance does not).
     */
    int imm32(Number n, boolean unsignedDecimal) {
        BigInteger max = n.hex() || unsignedDecimal ? MAX_U32 : MAX_S32;
        if (n.value().compareTo(MIN_S32) < 0 || n.value().compareTo(max) > 0) {
            throw errorAt(n.column(), "immediate " + n.value() + " does not fit 32 bits"
                    + (max == MAX_S32 ? " (decimal immediates are signed: -2147483648 to 2147483647)" : ""));
        }
        return n.value().intValue();
    }

    /** An immediate of a 64-bit load: -2^63 to 2^64-1. */
    long imm64(Number n) {
        if (n.value().compareTo(MIN_S64) < 0 || n.value().compareTo(MAX_U64) > 0) {
            throw errorAt(n.column(), "immediate " + n.value() + " does not fit 64 bits");
        }
        return n.value().longValue();
    }

    /** A signed 16-bit offset, -32768 to 32767. */
    int offset16(Number n, String what) {
        if (n.value().compareTo(BigInteger.valueOf(Short.MIN_VALUE)) < 0
                || n.value().compareTo(BigInteger.valueOf(Short.MAX_VALUE)) > 0) {
            throw errorAt(n.column(), what + " " + n.value() + " does not fit the 16-bit offset field"
                    + " (-32768 to 32767)");
        }
        return n.value().intValue();
    }

    /** A signed 32-bit value (an offset carried in the immediate). */
    int signed32(Number n, String what) {
        if (n.value().compareTo(MIN_S32) < 0 || n.value().compareTo(MAX_S32) > 0) {
            throw errorAt(n.column(), what + " " + n.value() + " does not fit 32 bits");
        }
        return n.value().intValue();
    }

    /** A fault at the current column. */
    AssemblyException error(String problem) {
        skipBlanks();
        return new AssemblyException(source, line, column(), problem);
    }

    /** A fault at {@code column}. */
    AssemblyException errorAt(int column, String problem) {
        return new AssemblyException(source, line, column, problem);
    }

    /** The unread rest for messages: quoted, or "the end of the line". */
    String rest() {
        skipBlanks();
        return at >= text.length() ? "the end of the line" : "'" + text.substring(at).strip() + "'";
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    /** An optional signed memory offset ({@code +8}, {@code -0x10}) after a base register; 0 when there is none. */
    int memoryOffset() {
        if (peek() != '+' && peek() != '-') {
            return 0;
        }
        boolean negative = accept("-");
        if (!negative) {
            expect("+");
        }
        Number n = number();
        if (n.value().signum() < 0) {
            throw errorAt(n.column(), "malformed memory offset");
        }
        return offset16(new Number(negative ? n.value().negate() : n.value(), n.hex(), n.column()), "memory offset");
    }
}
