package io.nocturne.ingest.flow.sflow;

import static io.nocturne.ingest.flow.Bytes.u16;

import com.google.protobuf.ByteString;
import io.nocturne.telemetry.v1.FlowRecord;

/**
 * Decodes the start of a sampled packet (sFlow v5 flow record 1, "sampled_header") into flow
 * fields: Ethernet II, IEEE 802.1Q / 802.1ad tags, the MPLS label stack (RFC 3032), IPv4,
 * IPv6 with its extension headers (RFC 8200 §4), then TCP, UDP, SCTP ports and ICMP / ICMPv6
 * type and code. Best effort by design: agents cut headers (128 bytes by default), so a
 * header that ends early yields the fields read so far, never a failure.
 */
final class SampledHeader {

    /** sFlow v5 header_protocol values this class decodes. */
    static final int ETHERNET = 1;
    static final int IPV4 = 11;
    static final int IPV6 = 12;
    static final int MPLS = 13;

    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_IPV6 = 0x86DD;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int ETHERTYPE_QINQ = 0x88A8;
    /** Pre-standard QinQ service tag some switches still send. */
    private static final int ETHERTYPE_QINQ_LEGACY = 0x9100;
    private static final int ETHERTYPE_MPLS = 0x8847;
    private static final int ETHERTYPE_MPLS_MULTICAST = 0x8848;
    /** Deeper stacks are not forwarding labels any router uses; stop rather than loop. */
    private static final int MAX_LABELS = 16;
    private static final int MAX_TAGS = 4;
    private static final int MAX_EXTENSION_HEADERS = 16;

    private SampledHeader() {
    }

    /** @return whether the header protocol is one this class decodes */
    static boolean decode(int headerProtocol, byte[] b, int off, int end, FlowRecord.Builder f) {
        switch (headerProtocol) {
            case ETHERNET -> ethernet(b, off, end, f);
            case IPV4 -> ipv4(b, off, end, f);
            case IPV6 -> ipv6(b, off, end, f);
            case MPLS -> mpls(b, off, end, f);
            default -> {
                return false;
            }
        }
        return true;
    }


    private static void ethernet(byte[] b, int off, int end, FlowRecord.Builder f) {
        if (end - off < 14) {
            return;
        }
        f.setDstMac(ByteString.copyFrom(b, off, 6)).setSrcMac(ByteString.copyFrom(b, off + 6, 6));
        int type = u16(b, off + 12);
        int p = off + 14;
        int tags = 0;
        while ((type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ || type == ETHERTYPE_QINQ_LEGACY)
                && tags < MAX_TAGS && end - p >= 4) {
            int tci = u16(b, p);
            if (tags == 0) {
                // The outer tag: the VLAN (service VLAN for QinQ) and 802.1p priority on input.
                f.setSrcVlan(tci & 0x0FFF).setSrcVlanPriority(tci >>> 13);
            } else if (tags == 1) {
                f.setDot1QCustomerVlan(tci & 0x0FFF);
            }
            type = u16(b, p + 2);
            p += 4;
            tags++;
        }
        f.setEtherType(type);
        switch (type) {
            case ETHERTYPE_IPV4 -> ipv4(b, p, end, f);
            case ETHERTYPE_IPV6 -> ipv6(b, p, end, f);
            case ETHERTYPE_MPLS, ETHERTYPE_MPLS_MULTICAST -> mpls(b, p, end, f);
            default -> {
            }
        }
    }

    /** RFC 3032 §2.1 label stack entries, top first, then the payload guessed from its version nibble. */
    private static void mpls(byte[] b, int p, int end, FlowRecord.Builder f) {
        f.setEtherType(ETHERTYPE_MPLS);
        for (int n = 0; n < MAX_LABELS && end - p >= 4; n++) {
            int entry = (b[p] & 0xFF) << 24 | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
            f.addMplsLabels(entry >>> 12);
            p += 4;
            if ((entry & 0x100) != 0) {
                // Bottom of stack: MPLS carries no payload type, so look at the IP version
                // (RFC 4928 §2 is why routers do the same for ECMP). ether_type then names the
                // payload, so an IP flow groups with its unlabelled peers.
                if (p < end) {
                    switch ((b[p] & 0xF0) >>> 4) {
                        case 4 -> {
                            f.setEtherType(ETHERTYPE_IPV4);
                            ipv4(b, p, end, f);
                        }
                        case 6 -> {
                            f.setEtherType(ETHERTYPE_IPV6);
                            ipv6(b, p, end, f);
                        }
                        default -> {
                        }
                    }
                }
                return;
            }
        }
    }

    /** RFC 791 §3.1. */
    private static void ipv4(byte[] b, int p, int end, FlowRecord.Builder f) {
        if (end - p < 20 || (b[p] & 0xF0) != 0x40) {
            return;
        }
        f.setEtherType(ETHERTYPE_IPV4);
        int ihl = (b[p] & 0x0F) * 4;
        int tos = b[p + 1] & 0xFF;
        int fragmentOffset = u16(b, p + 6) & 0x1FFF;
        int protocol = b[p + 9] & 0xFF;
        f.setIpTos(tos).setDscp(tos >>> 2).setIpTtl(b[p + 8] & 0xFF).setIpProtocol(protocol)
                .setSrcAddress(ByteString.copyFrom(b, p + 12, 4)).setDstAddress(ByteString.copyFrom(b, p + 16, 4));
        // Only the first fragment carries the transport header.
        if (ihl >= 20 && fragmentOffset == 0) {
            transport(protocol, b, p + ihl, end, f);
        }
    }

    /** RFC 8200 §3, then the extension header chain (§4) to the upper-layer header. */
    private static void ipv6(byte[] b, int p, int end, FlowRecord.Builder f) {
        if (end - p < 40 || (b[p] & 0xF0) != 0x60) {
            return;
        }
        f.setEtherType(ETHERTYPE_IPV6);
        int first = (b[p] & 0xFF) << 24 | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
        int trafficClass = (first >>> 20) & 0xFF;
        f.setIpTos(trafficClass).setDscp(trafficClass >>> 2).setFlowLabelIpv6(first & 0xFFFFF)
                .setIpTtl(b[p + 7] & 0xFF)
                .setSrcAddress(ByteString.copyFrom(b, p + 8, 16)).setDstAddress(ByteString.copyFrom(b, p + 24, 16));
        int next = b[p + 6] & 0xFF;
        p += 40;
        for (int n = 0; n < MAX_EXTENSION_HEADERS; n++) {
            switch (next) {
                // Hop-by-hop (0), routing (43), destination options (60), mobility (135), HIP
                // (139), shim6 (140): RFC 8200 §4.2 length = 8-octet units beyond the first 8.
                case 0, 43, 60, 135, 139, 140 -> {
                    if (end - p < 2) {
                        f.setIpProtocol(next);
                        return;
                    }
                    int nextNext = b[p] & 0xFF;
                    p += ((b[p + 1] & 0xFF) + 1) * 8;
                    next = nextNext;
                }
                // Fragment (RFC 8200 §4.5): fixed 8 bytes; only offset 0 has the upper header.
                case 44 -> {
                    if (end - p < 8) {
                        f.setIpProtocol(next);
                        return;
                    }
                    int nextNext = b[p] & 0xFF;
                    int offset = u16(b, p + 2) >>> 3;
                    p += 8;
                    next = nextNext;
                    if (offset != 0) {
                        f.setIpProtocol(next);
                        return;
                    }
                }
                // Authentication header (RFC 4302 §2.2): length in 4-octet units minus 2.
                case 51 -> {
                    if (end - p < 2) {
                        f.setIpProtocol(next);
                        return;
                    }
                    int nextNext = b[p] & 0xFF;
                    p += ((b[p + 1] & 0xFF) + 2) * 4;
                    next = nextNext;
                }
                default -> {
                    f.setIpProtocol(next);
                    transport(next, b, p, end, f);
                    return;
                }
            }
        }
        f.setIpProtocol(next);
    }

    private static void transport(int protocol, byte[] b, int p, int end, FlowRecord.Builder f) {
        switch (protocol) {
            case 6 -> { // TCP (RFC 9293 §3.1): flags in the low 9 bits of bytes 12..13 (NS bit included)
                if (end - p >= 4) {
                    f.setSrcPort(u16(b, p)).setDstPort(u16(b, p + 2));
                }
                if (end - p >= 14) {
                    f.setTcpFlags(u16(b, p + 12) & 0x1FF);
                }
            }
            case 17, 132, 136 -> { // UDP, SCTP, UDP-Lite: ports first
                if (end - p >= 4) {
                    f.setSrcPort(u16(b, p)).setDstPort(u16(b, p + 2));
                }
            }
            case 1, 58 -> { // ICMP, ICMPv6
                if (end - p >= 2) {
                    f.setIcmpType(b[p] & 0xFF).setIcmpCode(b[p + 1] & 0xFF);
                }
            }
            default -> {
            }
        }
    }
}
