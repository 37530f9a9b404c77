package io.nocturne.ingest.flow.sflow;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * Test-side sFlow v5 encoder: writes the XDR structures of the sFlow v5 specification, so a
 * test states a datagram field by field and checks what the decoder made of it.
 */
final class SflowEncoder {

    private SflowEncoder() {
    }

    /** An XDR writer: 32-bit big-endian units, opaque data padded to four bytes. */
    static final class Xdr {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Xdr u32(long v) {
            out.write((int) (v >>> 24));
            out.write((int) (v >>> 16));
            out.write((int) (v >>> 8));
            out.write((int) v);
            return this;
        }

        Xdr u64(long v) {
            return u32(v >>> 32).u32(v);
        }

        Xdr bytes(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        /** Opaque data, padded (no length prefix). */
        Xdr opaque(byte[] b) {
            out.writeBytes(b);
            for (int i = b.length; i % 4 != 0; i++) {
                out.write(0);
            }
            return this;
        }

        Xdr address(String ip) {
            byte[] a = ip(ip);
            return u32(a.length == 4 ? 1 : 2).bytes(a);
        }

        byte[] toBytes() {
            return out.toByteArray();
        }
    }

    static byte[] ip(String text) {
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    static byte[] datagram(String agent, long subAgent, long sequence, long uptime, byte[]... samples) {
        Xdr x = new Xdr().u32(5).address(agent).u32(subAgent).u32(sequence).u32(uptime).u32(samples.length);
        for (byte[] s : samples) {
            x.bytes(s);
        }
        return x.toBytes();
    }

    /** A sample or record: data_format, length, body. */
    static byte[] tlv(long format, byte[] body) {
        return new Xdr().u32(format).u32(body.length).bytes(body).toBytes();
    }

    static byte[] tlv(long enterprise, long format, byte[] body) {
        return tlv(enterprise << 12 | format, body);
    }

    private static Xdr records(Xdr x, byte[]... records) {
        x.u32(records.length);
        for (byte[] r : records) {
            x.bytes(r);
        }
        return x;
    }

    /** flow_sample (format 1): compact source id and interfaces (2-bit format + 30-bit value). */
    static byte[] flowSample(long sequence, int sourceType, int sourceIndex, long rate, long pool, long drops,
                             long input, long output, byte[]... records) {
        Xdr x = new Xdr().u32(sequence).u32((long) sourceType << 24 | sourceIndex).u32(rate).u32(pool).u32(drops)
                .u32(input).u32(output);
        return tlv(1, records(x, records).toBytes());
    }

    /** flow_sample_expanded (format 3). */
    static byte[] expandedFlowSample(long sequence, long sourceType, long sourceIndex, long rate, long pool,
                                     long drops, long inFormat, long input, long outFormat, long output,
                                     byte[]... records) {
        Xdr x = new Xdr().u32(sequence).u32(sourceType).u32(sourceIndex).u32(rate).u32(pool).u32(drops)
                .u32(inFormat).u32(input).u32(outFormat).u32(output);
        return tlv(3, records(x, records).toBytes());
    }

    static byte[] counterSample(long sequence, int sourceType, int sourceIndex, byte[]... records) {
        Xdr x = new Xdr().u32(sequence).u32((long) sourceType << 24 | sourceIndex);
        return tlv(2, records(x, records).toBytes());
    }

    static byte[] expandedCounterSample(long sequence, long sourceType, long sourceIndex, byte[]... records) {
        Xdr x = new Xdr().u32(sequence).u32(sourceType).u32(sourceIndex);
        return tlv(4, records(x, records).toBytes());
    }

    /** sampled_header (flow record 1). */
    static byte[] rawHeader(int headerProtocol, long frameLength, long stripped, byte[] header) {
        return tlv(1, new Xdr().u32(headerProtocol).u32(frameLength).u32(stripped).u32(header.length)
                .opaque(header).toBytes());
    }

    /** sampled_ethernet (flow record 2). */
    static byte[] sampledEthernet(long length, byte[] srcMac, byte[] dstMac, int type) {
        return tlv(2, new Xdr().u32(length).opaque(srcMac).opaque(dstMac).u32(type).toBytes());
    }

    /** sampled_ipv4 (3) / sampled_ipv6 (4). */
    static byte[] sampledIp(long length, int protocol, String src, String dst, int srcPort, int dstPort,
                            int tcpFlags, int tos) {
        byte[] s = ip(src);
        return tlv(s.length == 4 ? 3 : 4, new Xdr().u32(length).u32(protocol).bytes(s).bytes(ip(dst))
                .u32(srcPort).u32(dstPort).u32(tcpFlags).u32(tos).toBytes());
    }

    static byte[] extendedSwitch(int srcVlan, int srcPriority, int dstVlan, int dstPriority) {
        return tlv(1001, new Xdr().u32(srcVlan).u32(srcPriority).u32(dstVlan).u32(dstPriority).toBytes());
    }

    static byte[] extendedRouter(String nextHop, int srcMask, int dstMask) {
        return tlv(1002, new Xdr().address(nextHop).u32(srcMask).u32(dstMask).toBytes());
    }

    /** extended_gateway with one AS_SEQUENCE (type 2) segment and one community. */
    static byte[] extendedGateway(String nextHop, long as, long srcAs, long srcPeerAs, long... path) {
        Xdr x = new Xdr().address(nextHop).u32(as).u32(srcAs).u32(srcPeerAs);
        if (path.length == 0) {
            x.u32(0);
        } else {
            x.u32(1).u32(2).u32(path.length);
            for (long a : path) {
                x.u32(a);
            }
        }
        return tlv(1003, x.u32(1).u32(65000L << 16 | 100).u32(100).toBytes());
    }

    /** if_counters (counter record 1): the values are ifIndex + n so each field is distinct. */
    static byte[] genericInterface(int ifIndex, long base) {
        Xdr x = new Xdr().u32(ifIndex).u32(6).u64(10_000_000_000L).u32(1).u32(3).u64(base + 1);
        for (int i = 2; i <= 7; i++) {
            x.u32(base + i);
        }
        x.u64(base + 8);
        for (int i = 9; i <= 13; i++) {
            x.u32(base + i);
        }
        return tlv(1, x.u32(0).toBytes());
    }

    static byte[] ethernetCounters(long base) {
        Xdr x = new Xdr();
        for (int i = 1; i <= 13; i++) {
            x.u32(base + i);
        }
        return tlv(2, x.toBytes());
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }
}
