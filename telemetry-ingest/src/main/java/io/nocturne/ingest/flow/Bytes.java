package io.nocturne.ingest.flow;

/** Unsigned big-endian (network order) reads for the flow decoders; callers check bounds. */
public final class Bytes {

    private Bytes() {
    }

    public static int u16(byte[] b, int o) {
        return ((b[o] & 0xFF) << 8) | (b[o + 1] & 0xFF);
    }

    public static long u32(byte[] b, int o) {
        return ((long) u16(b, o) << 16) | u16(b, o + 2);
    }
}
