package io.nocturne.ingest.flow;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The UDP datagrams of a capture file: classic pcap or pcapng, link types Ethernet, BSD
 * loopback (DLT_NULL), Linux cooked (SLL, SLL2) and raw IP; IPv4 and IPv6 (no fragments).
 */
final class PcapUdp {

    record Datagram(int frame, String source, int sourcePort, int destinationPort, byte[] payload) {
    }

    private PcapUdp() {
    }

    static List<Datagram> read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        List<Datagram> out = new ArrayList<>();
        int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (magic == 0x0A0D0D0A) {
            pcapng(b, out);
        } else {
            classic(b, out);
        }
        return out;
    }

    /**
     * A classic pcap (raw IPv4 link type) of UDP datagrams to 127.0.0.1:{@code port}, datagram i
     * from 192.0.2.{@code sourceOctets[i]}: what tshark is given to decode what we decode.
     */
    static byte[] write(List<byte[]> payloads, int[] sourceOctets, int port) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(262144).putInt(101);
        out.writeBytes(h.array());
        for (int i = 0; i < payloads.size(); i++) {
            byte[] payload = payloads.get(i);
            ByteBuffer ip = ByteBuffer.allocate(28 + payload.length);
            ip.put((byte) 0x45).put((byte) 0).putShort((short) Math.min(65535, 28 + payload.length)).putInt(0)
                    .put((byte) 64).put((byte) 17).putShort((short) 0)
                    .put(new byte[] {(byte) 192, 0, 2, (byte) sourceOctets[i]})
                    .put(new byte[] {127, 0, 0, 1}).putShort((short) 40000).putShort((short) port)
                    .putShort((short) (8 + payload.length)).putShort((short) 0).put(payload);
            ByteBuffer rec = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            rec.putInt(1_700_000_000).putInt(0).putInt(ip.capacity()).putInt(ip.capacity());
            out.writeBytes(rec.array());
            out.writeBytes(ip.array());
        }
        return out.toByteArray();
    }

    private static void classic(ByteBuffer b, List<Datagram> out) {
        int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        b.order(magic == 0xa1b2c3d4 || magic == 0xa1b23c4d ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        int linkType = b.getInt(20) & 0xFFFF;
        int pos = 24;
        int frame = 0;
        while (pos + 16 <= b.limit()) {
            int caplen = b.getInt(pos + 8);
            frame++;
            link(b, pos + 16, caplen, linkType, frame, out);
            pos += 16 + caplen;
        }
    }

    private static void pcapng(ByteBuffer b, List<Datagram> out) {
        List<Integer> linkTypes = new ArrayList<>();
        int pos = 0;
        int frame = 0;
        while (pos + 12 <= b.limit()) {
            int type = b.order(ByteOrder.LITTLE_ENDIAN).getInt(pos);
            if (type == 0x0A0D0D0A) {
                int bom = b.order(ByteOrder.LITTLE_ENDIAN).getInt(pos + 8);
                b.order(bom == 0x1A2B3C4D ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
                linkTypes.clear();
            }
            int len = b.getInt(pos + 4);
            if (len < 12) {
                return;
            }
            if (type == 1) {
                linkTypes.add(b.getShort(pos + 8) & 0xFFFF);
            } else if (type == 6) {
                int iface = b.getInt(pos + 8);
                int caplen = b.getInt(pos + 20);
                frame++;
                link(b, pos + 28, caplen, linkTypes.get(iface), frame, out);
            } else if (type == 3) {
                frame++;
                link(b, pos + 12, b.getInt(pos + 8), linkTypes.get(0), frame, out);
            }
            pos += len;
        }
    }

    private static void link(ByteBuffer b, int off, int len, int linkType, int frame, List<Datagram> out) {
        ByteBuffer be = b.duplicate().order(ByteOrder.BIG_ENDIAN);
        switch (linkType) {
            case 1 -> {
                int etherType = be.getShort(off + 12) & 0xFFFF;
                int hdr = 14;
                if (etherType == 0x8100) {
                    etherType = be.getShort(off + 16) & 0xFFFF;
                    hdr = 18;
                }
                ip(be, off + hdr, len - hdr, frame, out);
            }
            case 0, 108 -> ip(be, off + 4, len - 4, frame, out);
            case 113 -> ip(be, off + 16, len - 16, frame, out);
            case 276 -> ip(be, off + 20, len - 20, frame, out);
            case 101 -> ip(be, off, len, frame, out);
            default -> {
            }
        }
    }

    private static void ip(ByteBuffer b, int off, int len, int frame, List<Datagram> out) {
        int version = (b.get(off) & 0xFF) >> 4;
        int udp;
        String src;
        if (version == 4) {
            if ((b.get(off + 9) & 0xFF) != 17) {
                return;
            }
            udp = off + (b.get(off) & 0x0F) * 4;
            src = (b.get(off + 12) & 0xFF) + "." + (b.get(off + 13) & 0xFF) + "." + (b.get(off + 14) & 0xFF) + "."
                    + (b.get(off + 15) & 0xFF);
        } else if (version == 6) {
            if ((b.get(off + 6) & 0xFF) != 17) {
                return;
            }
            udp = off + 40;
            src = "ipv6";
        } else {
            return;
        }
        int udpLen = b.getShort(udp + 4) & 0xFFFF;
        byte[] payload = new byte[Math.min(udpLen - 8, off + len - udp - 8)];
        b.get(udp + 8, payload);
        out.add(new Datagram(frame, src, b.getShort(udp) & 0xFFFF, b.getShort(udp + 2) & 0xFFFF, payload));
    }
}
