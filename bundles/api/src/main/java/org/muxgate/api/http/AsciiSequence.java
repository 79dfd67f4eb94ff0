package org.muxgate.api.http;

import java.nio.ByteBuffer;

/**
 * A reusable window on ASCII bytes of a buffer, seen as characters (one byte, one
 * char): how HTTP names and values are read from an {@link HttpMessage} without a
 * String per header. The window is valid until its message changes; a holder that
 * needs the text longer calls {@link #toString()}.
 *
 * <p>Not thread-safe: each user (a mux, a stream) keeps its own.
 */
public final class AsciiSequence implements CharSequence {

    private ByteBuffer buffer;
    private int offset;
    private int length;

    /** Points the window at {@code length} bytes of {@code buffer} from {@code offset}. */
    public AsciiSequence set(ByteBuffer buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException(index);
        }
        return (char) (buffer.get(offset + index) & 0xff);
    }

    /** Allocates: for error paths and tests only. */
    @Override
    public CharSequence subSequence(int start, int end) {
        return toString().substring(start, end);
    }

    /** @return {@code into}, pointed at {@code length} characters of this one from {@code start} */
    public AsciiSequence slice(int start, int length, AsciiSequence into) {
        if (start < 0 || length < 0 || start + length > this.length) {
            throw new IndexOutOfBoundsException(start + "+" + length + " > " + this.length);
        }
        return into.set(buffer, offset + start, length);
    }

    /** Copies the bytes to {@code target} at its position, which advances. */
    public void copyTo(ByteBuffer target) {
        target.put(target.position(), buffer, offset, length);
        target.position(target.position() + length);
    }

    /** @return whether the characters equal {@code other}'s, ASCII case ignored if {@code ignoreCase} */
    public boolean contentEquals(CharSequence other, boolean ignoreCase) {
        return length == other.length() && regionMatches(0, other, ignoreCase);
    }

    /** @return whether the characters from {@code start} begin with {@code other}'s */
    public boolean regionMatches(int start, CharSequence other, boolean ignoreCase) {
        int n = other.length();
        if (start < 0 || start + n > length) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char a = (char) (buffer.get(offset + start + i) & 0xff);
            char b = other.charAt(i);
            if (a != b && !(ignoreCase && toLower(a) == toLower(b))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses the characters as a decimal number without sign.
     *
     * @return the value, or -1 if empty, not all digits, or above {@link Long#MAX_VALUE}
     */
    public long parseDecimal() {
        if (length == 0) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < length; i++) {
            int digit = buffer.get(offset + i) - '0';
            if (digit < 0 || digit > 9 || value > (Long.MAX_VALUE - digit) / 10) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /** @return {@code c} in lower case if it is an ASCII upper-case letter */
    public static char toLower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    @Override
    public String toString() {
        byte[] bytes = new byte[length];
        buffer.get(offset, bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
