package io.nocturne.bench.harness;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the UDP datagrams out of a capture file: classic pcap (µs or ns timestamps, either
 * byte order) and pcapng (Section Header, Interface Description with if_tsresol, Enhanced
 * and Simple Packet blocks). Link types: Ethernet (with 802.1Q/802.1ad tags), BSD loopback
 * (NULL), Linux cooked v1 and v2, raw IPv4/IPv6. IPv4 fragments other than complete
 * datagrams are skipped and counted, as is anything that is not UDP.
 */
public final class PcapReader {

    /** One UDP datagram as captured. */
    public record Datagram(long timestampNanos, InetAddress source, int sourcePort, InetAddress destination,
                           int destinationPort, byte[] payload) {
    }

    /** What the file held. */
    public record Capture(List<Datagram> datagrams, int frames, Map<String, Integer> skipped) {
    }

    private final List<Datagram> out = new ArrayList<>();
    private final Map<String, Integer> skipped = new HashMap<>();
    private int frames;

    private PcapReader() {
    }

    public static Capture read(Path file) throws IOException {
        return read(Files.readAllBytes(file));
    }

    public static Capture read(byte[] bytes) throws IOException {
        PcapReader r = new PcapReader();
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (bytes.length < 24) {
            throw new IOException("not a capture file: " + bytes.length + " bytes");
        }
        int magicBe = b.order(ByteOrder.BIG_ENDIAN).getInt(0);
        if (magicBe == 0x0A0D0D0A) {
            r.readPcapng(b);
        } else {
            r.readPcap(b);
        }
        return new Capture(List.copyOf(r.out), r.frames, Map.copyOf(r.skipped));
    }

    private void readPcap(ByteBuffer b) throws IOException {
        int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        long fraction;
        if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d) {
            b.order(ByteOrder.LITTLE_ENDIAN);
        } else if (Integer.reverseBytes(magic) == 0xa1b2c3d4 || Integer.reverseBytes(magic) == 0xa1b23c4d) {
            b.order(ByteOrder.BIG_ENDIAN);
            magic = Integer.reverseBytes(magic);
        } else {
            throw new IOException(String.format("not a pcap or pcapng file (magic %08x)", magic));
        }
        fraction = magic == 0xa1b23c4d ? 1 : 1_000;
        int linkType = b.getInt(20);
        b.position(24);
        while (b.remaining() >= 16) {
            long sec = Integer.toUnsignedLong(b.getInt());
            long frac = Integer.toUnsignedLong(b.getInt());
            int caplen = b.getInt();
            b.getInt(); // original length
            if (caplen < 0 || caplen > b.remaining()) {
                skip("truncated file");
                return;
            }
            byte[] frame = new byte[caplen];
            b.get(frame);
            frame(linkType, sec * 1_000_000_000L + frac * fraction, frame);
        }
    }

    private void readPcapng(ByteBuffer b) throws IOException {
        List<long[]> interfaces = new ArrayList<>(); // {linkType, nanosPerUnit (or -divisor)}
        int pos = 0;
        while (pos + 12 <= b.capacity()) {
            // The Section Header Block type reads the same in both byte orders; its
            // byte-order magic sets the order of everything up to the next section.
            int type = b.getInt(pos);
            if (type == 0x0A0D0D0A) {
                int bom = b.order(ByteOrder.BIG_ENDIAN).getInt(pos + 8);
                b.order(bom == 0x1A2B3C4D ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
                interfaces.clear();
            }
            int length = b.getInt(pos + 4);
            if (length < 12 || pos + length > b.capacity()) {
                skip("truncated file");
                return;
            }
            int body = pos + 8;
            switch (type) {
                case 1 -> { // Interface Description Block
                    int linkType = Short.toUnsignedInt(b.getShort(body));
                    long units = 1_000; // default if_tsresol 6: microseconds
                    int opt = body + 8;
                    while (opt + 4 <= pos + length - 4) {
                        int code = Short.toUnsignedInt(b.getShort(opt));
                        int len = Short.toUnsignedInt(b.getShort(opt + 2));
                        if (code == 0) {
                            break;
                        }
                        if (code == 9 && len >= 1) {
                            int res = b.get(opt + 4) & 0xff;
                            units = (res & 0x80) == 0 ? nanosPerUnitDecimal(res) : -(1L << (res & 0x7f));
                        }
                        opt += 4 + ((len + 3) & ~3);
                    }
                    interfaces.add(new long[] {linkType, units});
                }
                case 6 -> { // Enhanced Packet Block
                    int iface = b.getInt(body);
                    long ts = (Integer.toUnsignedLong(b.getInt(body + 4)) << 32) | Integer.toUnsignedLong(b.getInt(body + 8));
                    int caplen = b.getInt(body + 12);
                    if (iface < 0 || iface >= interfaces.size() || caplen < 0 || body + 20 + caplen > pos + length) {
                        skip("malformed block");
                    } else {
                        long[] i = interfaces.get(iface);
                        long nanos = i[1] > 0 ? ts * i[1] : (long) (ts * (1e9 / -i[1]));
                        frame((int) i[0], nanos, Arrays.copyOfRange(b.array(), body + 20, body + 20 + caplen));
                    }
                }
                case 3 -> { // Simple Packet Block: interface 0, no timestamp
                    int origLen = b.getInt(body);
                    int caplen = Math.min(origLen, length - 16);
                    if (interfaces.isEmpty() || caplen < 0) {
                        skip("malformed block");
                    } else {
                        frame((int) interfaces.get(0)[0], 0, Arrays.copyOfRange(b.array(), body + 4, body + 4 + caplen));
                    }
                }
                default -> {
                    // statistics, name resolution, custom blocks: nothing to replay
                }
            }
            pos += length;
        }
    }

    private static long nanosPerUnitDecimal(int exponent) {
        long n = 1;
        for (int i = exponent; i < 9; i++) {
            n *= 10;
        }
        return exponent > 9 ? 1 : n;
    }

    private void frame(int linkType, long nanos, byte[] f) {
        frames++;
        ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.BIG_ENDIAN);
        int offset;
        int etherType;
        switch (linkType) {
            case 1 -> { // Ethernet
                if (f.length < 14) {
                    skip("short frame");
                    return;
                }
                offset = 12;
                etherType = Short.toUnsignedInt(b.getShort(offset));
                while ((etherType == 0x8100 || etherType == 0x88a8) && offset + 6 <= f.length) {
                    offset += 4;
                    etherType = Short.toUnsignedInt(b.getShort(offset));
                }
                offset += 2;
            }
            case 0 -> { // BSD loopback: address family in the capturing host's byte order
                if (f.length < 4) {
                    skip("short frame");
                    return;
                }
                int family = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
                if (family > 0xffff) {
                    family = Integer.reverseBytes(family);
                }
                b.order(ByteOrder.BIG_ENDIAN);
                etherType = family == 2 ? 0x0800 : (family == 24 || family == 28 || family == 30) ? 0x86dd : -1;
                offset = 4;
            }
            case 113 -> { // Linux cooked v1
                if (f.length < 16) {
                    skip("short frame");
                    return;
                }
                etherType = Short.toUnsignedInt(b.getShort(14));
                offset = 16;
            }
            case 276 -> { // Linux cooked v2
                if (f.length < 20) {
                    skip("short frame");
                    return;
                }
                etherType = Short.toUnsignedInt(b.getShort(0));
                offset = 20;
            }
            case 101, 12, 14 -> { // raw IP
                etherType = f.length > 0 && (f[0] >> 4) == 6 ? 0x86dd : 0x0800;
                offset = 0;
            }
            case 228 -> {
                etherType = 0x0800;
                offset = 0;
            }
            case 229 -> {
                etherType = 0x86dd;
                offset = 0;
            }
            default -> {
                skip("link type " + linkType);
                return;
            }
        }
        if (etherType == 0x0800) {
            ipv4(nanos, b, offset);
        } else if (etherType == 0x86dd) {
            ipv6(nanos, b, offset);
        } else {
            skip("not IP");
        }
    }

    private void ipv4(long nanos, ByteBuffer b, int o) {
        if (b.capacity() < o + 20) {
            skip("short frame");
            return;
        }
        int ihl = (b.get(o) & 0x0f) * 4;
        if (ihl < 20) {
            skip("malformed IPv4 header");
            return;
        }
        int total = Short.toUnsignedInt(b.getShort(o + 2));
        int flagsFrag = Short.toUnsignedInt(b.getShort(o + 6));
        if (b.get(o + 9) != 17) {
            skip("not UDP");
            return;
        }
        if ((flagsFrag & 0x3fff) != 0) { // MF set or a fragment offset: not a whole datagram here
            skip("IP fragment");
            return;
        }
        int end = Math.min(b.capacity(), o + total);
        udp(nanos, address(b, o + 12, 4), address(b, o + 16, 4), b, o + ihl, end);
    }

    private void ipv6(long nanos, ByteBuffer b, int o) {
        if (b.capacity() < o + 40) {
            skip("short frame");
            return;
        }
        if (b.get(o + 6) != 17) {
            skip("not UDP (or IPv6 extension headers)");
            return;
        }
        int payloadLength = Short.toUnsignedInt(b.getShort(o + 4));
        udp(nanos, address(b, o + 8, 16), address(b, o + 24, 16), b, o + 40, Math.min(b.capacity(), o + 40 + payloadLength));
    }

    private void udp(long nanos, InetAddress src, InetAddress dst, ByteBuffer b, int o, int ipEnd) {
        if (src == null || dst == null || ipEnd < o + 8) {
            skip("short frame");
            return;
        }
        int srcPort = Short.toUnsignedInt(b.getShort(o));
        int dstPort = Short.toUnsignedInt(b.getShort(o + 2));
        int udpLength = Short.toUnsignedInt(b.getShort(o + 4));
        int end = udpLength >= 8 ? Math.min(ipEnd, o + udpLength) : ipEnd;
        if (udpLength > 8 && o + udpLength > ipEnd) {
            skip("truncated (snaplen)");
            return;
        }
        out.add(new Datagram(nanos, src, srcPort, dst, dstPort, Arrays.copyOfRange(b.array(), o + 8, end)));
    }

    private static InetAddress address(ByteBuffer b, int o, int len) {
        byte[] a = Arrays.copyOfRange(b.array(), o, o + len);
        try {
            return InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private void skip(String why) {
        skipped.merge(why, 1, Integer::sum);
    }
}
