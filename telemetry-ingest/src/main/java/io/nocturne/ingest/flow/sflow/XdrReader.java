package io.nocturne.ingest.flow.sflow;

/**
 * A bounds-checked cursor over XDR (RFC 4506) data, as sFlow v5 encodes it: big-endian
 * 32-bit units, opaque data padded to a multiple of four bytes. Reading past the limit throws
 * {@link Malformed}, which {@link SflowDecoder} turns into a dead letter; it never escapes
 * the decoder.
 */
final class XdrReader {

    /** A length or count that does not fit the bytes around it. Cheap: no stack trace. */
    static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    final byte[] buf;
    /** Where this reader's bytes begin (a record's first byte, for carrying it whole). */
    final int start;
    int pos;
    final int limit;

    XdrReader(byte[] buf, int offset, int limit) {
        this.buf = buf;
        this.start = offset;
        this.pos = offset;
        this.limit = limit;
    }

    int remaining() {
        return limit - pos;
    }

    void need(int n, String what) {
        if (n < 0 || n > limit - pos) {
            throw new Malformed(what + " needs " + (n < 0 ? Integer.toUnsignedString(n) : n) + " bytes at offset "
                    + pos + ", " + (limit - pos) + " left");
        }
    }

    int int32(String what) {
        need(4, what);
        byte[] b = buf;
        int p = pos;
        pos = p + 4;
        return (b[p] & 0xFF) << 24 | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
    }

    long uint32(String what) {
        return int32(what) & 0xFFFF_FFFFL;
    }

    long uint64(String what) {
        return uint32(what) << 32 | uint32(what);
    }

    /** Skips {@code n} bytes plus the XDR padding to the next four-byte boundary. */
    void skipOpaque(int n, String what) {
        int padded = padded(n);
        need(padded, what);
        pos += padded;
    }

    /** A sub-reader over the next {@code length} bytes (a sample or record), which it skips. */
    XdrReader slice(long length, String what) {
        if (length > Integer.MAX_VALUE) {
            throw new Malformed(what + " length " + length + " exceeds the datagram");
        }
        int n = (int) length;
        need(n, what);
        XdrReader r = new XdrReader(buf, pos, pos + n);
        pos += n;
        return r;
    }

    static int padded(int n) {
        return n < 0 ? -1 : (n + 3) & ~3;
    }
}
