package io.nocturne.ingest.flow.sflow;

import java.nio.ByteBuffer;

/** Test-side packet builder: the headers a sampled frame starts with. */
final class Packets {

    static final byte[] SRC_MAC = {0x00, 0x1b, 0x21, 0x0a, 0x0b, 0x0c};
    static final byte[] DST_MAC = {0x00, 0x1c, 0x73, 0x01, 0x02, 0x03};

    private Packets() {
    }

    /** Ethernet II; {@code tags} are (tpid, tci) pairs in order, outermost first. */
    static byte[] ethernet(int etherType, byte[] payload, int... tags) {
        ByteBuffer b = ByteBuffer.allocate(14 + tags.length * 2 + payload.length);
        b.put(DST_MAC).put(SRC_MAC);
        for (int i = 0; i < tags.length; i += 2) {
            b.putShort((short) tags[i]).putShort((short) tags[i + 1]);
        }
        return b.putShort((short) etherType).put(payload).array();
    }

    static byte[] mpls(byte[] payload, int... labels) {
        ByteBuffer b = ByteBuffer.allocate(labels.length * 4 + payload.length);
        for (int i = 0; i < labels.length; i++) {
            int bos = i == labels.length - 1 ? 0x100 : 0;
            b.putInt(labels[i] << 12 | bos | 64); // TC 0, TTL 64
        }
        return b.put(payload).array();
    }

    static byte[] ipv4(int tos, int ttl, int protocol, String src, String dst, int fragmentOffset, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
        b.put((byte) 0x45).put((byte) tos).putShort((short) (20 + payload.length)).putShort((short) 0x1234)
                .putShort((short) fragmentOffset).put((byte) ttl).put((byte) protocol).putShort((short) 0)
                .put(SflowEncoder.ip(src)).put(SflowEncoder.ip(dst));
        return b.put(payload).array();
    }

    static byte[] ipv6(int trafficClass, int flowLabel, int nextHeader, int hopLimit, String src, String dst,
                       byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(40 + payload.length);
        b.putInt(6 << 28 | trafficClass << 20 | flowLabel).putShort((short) payload.length).put((byte) nextHeader)
                .put((byte) hopLimit).put(SflowEncoder.ip(src)).put(SflowEncoder.ip(dst));
        return b.put(payload).array();
    }

    /** A generic extension header (hop-by-hop, routing, destination options): 8 * (1 + extraUnits) bytes. */
    static byte[] extension(int nextHeader, int extraUnits, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(8 * (1 + extraUnits) + payload.length);
        b.put((byte) nextHeader).put((byte) extraUnits);
        b.position(8 * (1 + extraUnits));
        return b.put(payload).array();
    }

    static byte[] fragment(int nextHeader, int offsetUnits, boolean more, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
        b.put((byte) nextHeader).put((byte) 0).putShort((short) (offsetUnits << 3 | (more ? 1 : 0))).putInt(0xCAFE);
        return b.put(payload).array();
    }

    static byte[] tcp(int srcPort, int dstPort, int flags) {
        ByteBuffer b = ByteBuffer.allocate(20);
        b.putShort((short) srcPort).putShort((short) dstPort).putInt(1000).putInt(0)
                .putShort((short) (5 << 12 | flags)).putShort((short) 65535).putInt(0);
        return b.array();
    }

    static byte[] udp(int srcPort, int dstPort, int payloadLength) {
        ByteBuffer b = ByteBuffer.allocate(8 + payloadLength);
        b.putShort((short) srcPort).putShort((short) dstPort).putShort((short) (8 + payloadLength)).putShort((short) 0);
        return b.array();
    }

    static byte[] icmp(int type, int code) {
        ByteBuffer b = ByteBuffer.allocate(8);
        return b.put((byte) type).put((byte) code).array();
    }
}
