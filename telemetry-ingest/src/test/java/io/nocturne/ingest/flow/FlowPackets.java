package io.nocturne.ingest.flow;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Builds NetFlow v9 and IPFIX packets for tests, field by field. */
final class FlowPackets {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(bytes);

    FlowPackets u8(int v) {
        try {
            out.writeByte(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    FlowPackets u16(int v) {
        return u8(v >> 8).u8(v);
    }

    FlowPackets u32(long v) {
        return u16((int) (v >> 16)).u16((int) v);
    }

    FlowPackets u64(long v) {
        return u32(v >>> 32).u32(v);
    }

    FlowPackets raw(byte... b) {
        bytes.write(b, 0, b.length);
        return this;
    }

    byte[] bytes() {
        return bytes.toByteArray();
    }

    /** A set (v9 flowset / IPFIX set) with its 4-byte header. */
    static byte[] set(int id, byte[] body) {
        return new FlowPackets().u16(id).u16(body.length + 4).raw(body).bytes();
    }

    static byte[] ipfix(long domain, long sequence, long exportSecs, byte[]... sets) {
        int len = 16;
        for (byte[] s : sets) {
            len += s.length;
        }
        FlowPackets p = new FlowPackets().u16(10).u16(len).u32(exportSecs).u32(sequence).u32(domain);
        for (byte[] s : sets) {
            p.raw(s);
        }
        return p.bytes();
    }

    static byte[] v9(long sourceId, long sequence, long sysUptimeMillis, long unixSecs, byte[]... sets) {
        FlowPackets p = new FlowPackets().u16(9).u16(sets.length).u32(sysUptimeMillis).u32(unixSecs).u32(sequence)
                .u32(sourceId);
        for (byte[] s : sets) {
            p.raw(s);
        }
        return p.bytes();
    }

    static byte[] ipv4(int a, int b, int c, int d) {
        return new byte[] {(byte) a, (byte) b, (byte) c, (byte) d};
    }
}
