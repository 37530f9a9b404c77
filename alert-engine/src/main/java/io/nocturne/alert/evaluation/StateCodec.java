package io.nocturne.alert.evaluation;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The binary form of evaluation state and matches: fixed-width big-endian numbers and
 * length-prefixed UTF-8 strings on a plain byte array. Written and read for every match
 * (repartition topic, state store, changelog), so it avoids the stream classes' per-field
 * call overhead.
 */
final class StateCodec {

    private StateCodec() {
    }

    private static final ThreadLocal<Writer> SCRATCH = ThreadLocal.withInitial(() -> new Writer(4096));

    /**
     * This thread's reusable writer, emptied: serializers run once per state change, and the
     * result is copied out by {@link Writer#toBytes()}, so the working buffer need not be new.
     */
    static Writer scratch() {
        Writer w = SCRATCH.get();
        w.pos = 0;
        return w;
    }

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /**
     * Appends to a growing array: a position and plain stores (a field is one bounds check
     * and one store, where a ByteBuffer costs several calls and checks per field).
     */
    static final class Writer {
        private byte[] buf;
        private int pos;

        Writer(int initial) {
            buf = new byte[Math.max(initial, 16)];
        }

        private void ensure(int n) {
            if (buf.length - pos < n) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
            }
        }

        Writer b(int v) {
            ensure(1);
            buf[pos++] = (byte) v;
            return this;
        }

        Writer bool(boolean v) {
            return b(v ? 1 : 0);
        }

        Writer i(int v) {
            ensure(4);
            INT.set(buf, pos, v);
            pos += 4;
            return this;
        }

        Writer l(long v) {
            ensure(8);
            LONG.set(buf, pos, v);
            pos += 8;
            return this;
        }

        Writer d(double v) {
            return l(Double.doubleToRawLongBits(v));
        }

        Writer s(String v) {
            int n = v.length();
            ensure(4 + n);
            int start = pos;
            INT.set(buf, pos, n);
            int p = pos + 4;
            // Labels, rule names, topics and event ids are nearly always ASCII: write them
            // without an intermediate byte array; anything else goes through the encoder.
            for (int i = 0; i < n; i++) {
                char c = v.charAt(i);
                if (c >= 0x80) {
                    byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
                    pos = start;
                    ensure(4 + bytes.length);
                    INT.set(buf, pos, bytes.length);
                    System.arraycopy(bytes, 0, buf, pos + 4, bytes.length);
                    pos += 4 + bytes.length;
                    return this;
                }
                buf[p++] = (byte) c;
            }
            pos = p;
            return this;
        }

        /**
         * Unsigned LEB128 (as protobuf's varints): window bucket gaps and counts are small
         * numbers, one or two bytes instead of eight.
         */
        Writer v(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buf[pos++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[pos++] = (byte) v;
            return this;
        }

        /** Bytes encoded earlier (parts of a state that do not change between writes). */
        Writer raw(byte[] bytes) {
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buf, pos, bytes.length);
            pos += bytes.length;
            return this;
        }

        int position() {
            return pos;
        }

        byte[] toBytes() {
            return Arrays.copyOf(buf, pos);
        }
    }

    /** Reads what a {@link Writer} wrote. */
    static final class Reader {
        private final ByteBuffer bb;

        Reader(byte[] bytes) {
            bb = ByteBuffer.wrap(bytes);
        }

        int b() {
            return bb.get();
        }

        boolean bool() {
            return bb.get() != 0;
        }

        int i() {
            return bb.getInt();
        }

        long l() {
            return bb.getLong();
        }

        double d() {
            return bb.getDouble();
        }

        long v() {
            long v = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = bb.get();
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return v;
                }
            }
        }

        int position() {
            return bb.position();
        }

        /** A copy of bytes {@code [from, to)} already read. */
        byte[] slice(int from, int to) {
            return Arrays.copyOfRange(bb.array(), from, to);
        }

        String s() {
            int n = bb.getInt();
            String v = new String(bb.array(), bb.position(), n, StandardCharsets.UTF_8);
            bb.position(bb.position() + n);
            return v;
        }
    }
}
