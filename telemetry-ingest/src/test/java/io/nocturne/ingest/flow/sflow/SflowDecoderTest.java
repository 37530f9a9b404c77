package io.nocturne.ingest.flow.sflow;

import static io.nocturne.ingest.flow.sflow.Packets.DST_MAC;
import static io.nocturne.ingest.flow.sflow.Packets.SRC_MAC;
import static io.nocturne.ingest.flow.sflow.SflowEncoder.counterSample;
import static io.nocturne.ingest.flow.sflow.SflowEncoder.datagram;
import static io.nocturne.ingest.flow.sflow.SflowEncoder.ethernetCounters;
import static io.nocturne.ingest.flow.sflow.SflowEncoder.expandedCounterSample;
import static io.nocturne.ingest.flow.sflow.SflowEncoder.expandedFlowSample;
import static io.nocturne.ingest.flow.sflow.SflowEncoder.extendedGateway;
import static io.nocturne.ingest.flow.sflow.SflowEncoder.extendedRouter;
import static io.nocturne.ingest.flow.sflow.SflowEncoder.extendedSwitch;
import static io.nocturne.ingest.flow.sflow.SflowEncoder.flowSample;
import static io.nocturne.ingest.flow.sflow.SflowEncoder.genericInterface;
import static io.nocturne.ingest.flow.sflow.SflowEncoder.ip;
import static io.nocturne.ingest.flow.sflow.SflowEncoder.rawHeader;
import static io.nocturne.ingest.flow.sflow.SflowEncoder.sampledEthernet;
import static io.nocturne.ingest.flow.sflow.SflowEncoder.sampledIp;
import static io.nocturne.ingest.flow.sflow.SflowEncoder.tlv;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.nocturne.ingest.decode.DecodeResult;
import io.nocturne.ingest.flow.sflow.SflowDatagram.SampleKind;
import io.nocturne.telemetry.v1.DeadLetter;
import io.nocturne.telemetry.v1.FlowRecord;
import io.nocturne.telemetry.v1.FlowUnknownField;
import io.nocturne.telemetry.v1.InterfaceCounters;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SflowDecoderTest {

    private static final long NOW = 1_780_000_000_123_000_000L;
    private static final int ETHERNET = 1;
    private final SflowDecoder decoder = new SflowDecoder();

    private SflowDatagram decode(byte[] bytes) {
        DecodeResult<SflowDatagram> r = decoder.decode(bytes, NOW);
        assertThat(r).isInstanceOf(DecodeResult.Decoded.class);
        return ((DecodeResult.Decoded<SflowDatagram>) r).value();
    }

    private FlowRecord onlyFlow(byte[]... records) {
        SflowDatagram d = decode(datagram("192.0.2.1", 0, 1, 1000,
                flowSample(1, 0, 3, 100, 1000, 0, 3, 7, records)));
        assertThat(d.flows()).hasSize(1);
        return d.flows().get(0);
    }

    private DecodeResult.Failed<SflowDatagram> failure(byte[] bytes) {
        DecodeResult<SflowDatagram> r = decoder.decode(bytes, NOW);
        assertThat(r).isInstanceOf(DecodeResult.Failed.class);
        return (DecodeResult.Failed<SflowDatagram>) r;
    }

    private static ByteString bs(byte[] b) {
        return ByteString.copyFrom(b);
    }

    @Test
    void decodesAFlowSampleWithAnEthernetIpv4TcpHeaderScaledByItsSamplingRate() {
        byte[] frame = Packets.ethernet(0x0800, Packets.ipv4(0xB8, 63, 6, "10.1.2.3", "198.51.100.7", 0x4000,
                Packets.tcp(51234, 443, 0x12)));
        byte[] bytes = datagram("192.0.2.1", 7, 4242, 3_600_000,
                flowSample(99, 0, 3, 512, 1_048_576, 17, 3, 7, rawHeader(ETHERNET, 1514, 4, frame)));

        SflowDatagram d = decode(bytes);

        assertThat(d.agentAddress()).isEqualTo(bs(ip("192.0.2.1")));
        assertThat(d.subAgentId()).isEqualTo(7);
        assertThat(d.sequenceNumber()).isEqualTo(4242);
        assertThat(d.uptimeMillis()).isEqualTo(3_600_000);
        assertThat(d.samples(SampleKind.FLOW)).isEqualTo(1);
        assertThat(d.counters()).isEmpty();
        FlowRecord f = d.flows().get(0);
        assertThat(f.getProtocol()).isEqualTo(FlowRecord.Protocol.PROTOCOL_SFLOW_V5);
        assertThat(f.getSamplerAddress()).isEqualTo(bs(ip("192.0.2.1")));
        assertThat(f.getSubAgentId()).isEqualTo(7);
        assertThat(f.getObservationDomainId()).isEqualTo(7);
        assertThat(f.getSequenceNumber()).isEqualTo(4242);
        assertThat(f.getSamplerId()).isEqualTo(3);
        assertThat(f.getTemplateId()).isEqualTo(1);
        assertThat(f.getSamplingRate()).isEqualTo(512);
        assertThat(f.getSamplingSource()).isEqualTo(FlowRecord.SamplingSource.SAMPLING_SOURCE_PACKET);
        assertThat(f.getSamplePool()).isEqualTo(1_048_576);
        assertThat(f.getSampleDrops()).isEqualTo(17);
        assertThat(f.getInInterface()).isEqualTo(3);
        assertThat(f.getOutInterface()).isEqualTo(7);
        assertThat(f.getBytes()).isEqualTo(1514);
        assertThat(f.getPackets()).isEqualTo(1);
        assertThat(f.getBytesScaled()).isEqualTo(1514L * 512);
        assertThat(f.getPacketsScaled()).isEqualTo(512);
        assertThat(f.getFlowStartUnixNanos()).isEqualTo(NOW);
        assertThat(f.getFlowEndUnixNanos()).isEqualTo(NOW);
        assertThat(f.getDstMac()).isEqualTo(bs(DST_MAC));
        assertThat(f.getSrcMac()).isEqualTo(bs(SRC_MAC));
        assertThat(f.getEtherType()).isEqualTo(0x0800);
        assertThat(f.getSrcAddress()).isEqualTo(bs(ip("10.1.2.3")));
        assertThat(f.getDstAddress()).isEqualTo(bs(ip("198.51.100.7")));
        assertThat(f.getIpProtocol()).isEqualTo(6);
        assertThat(f.getIpTos()).isEqualTo(0xB8);
        assertThat(f.getDscp()).isEqualTo(46);
        assertThat(f.getIpTtl()).isEqualTo(63);
        assertThat(f.getSrcPort()).isEqualTo(51234);
        assertThat(f.getDstPort()).isEqualTo(443);
        assertThat(f.getTcpFlags()).isEqualTo(0x12);
        assertThat(f.getSrcVlan()).isZero();
        assertThat(f.getUnknownFields_Count()).isZero();
    }

    @Test
    void decodesAnExpandedFlowSampleFromAnIpv6AgentWithADiscardedPacket() {
        byte[] frame = Packets.ethernet(0x0800, Packets.ipv4(0, 1, 17, "10.0.0.1", "10.0.0.2", 0,
                Packets.udp(5353, 53, 20)));
        byte[] bytes = datagram("2001:db8::1", 1, 9, 5,
                expandedFlowSample(5, 0, 70_000_000L, 1024, 5000, 2, 0, 70_000_000L, 1, 257,
                        rawHeader(ETHERNET, 90, 4, frame)));

        SflowDatagram d = decode(bytes);

        assertThat(d.samples(SampleKind.EXPANDED_FLOW)).isEqualTo(1);
        FlowRecord f = d.flows().get(0);
        assertThat(f.getSamplerAddress()).isEqualTo(bs(ip("2001:db8::1")));
        assertThat(f.getTemplateId()).isEqualTo(3);
        // An ifIndex beyond the 24 bits of the compact source id: why the expanded form exists.
        assertThat(f.getSamplerId()).isEqualTo(70_000_000L);
        assertThat(f.getInInterface()).isEqualTo(70_000_000);
        assertThat(f.getOutInterface()).isZero();
        assertThat(f.getForwardingStatus()).isEqualTo(137); // discard reason 257 (TTL exceeded) → "Bad TTL"
        assertThat(f.getSrcPort()).isEqualTo(5353);
        assertThat(f.getDstPort()).isEqualTo(53);
        assertThat(f.getIpProtocol()).isEqualTo(17);
        assertThat(f.getBytesScaled()).isEqualTo(90L * 1024);
    }

    @Test
    void readsInterfaceFormatBitsOfTheCompactForm() {
        byte[] header = rawHeader(ETHERNET, 64, 0, Packets.ethernet(0x0806, new byte[28]));
        // output format 2: sent to 5 interfaces; input 0x3FFFFFFF: unknown.
        SflowDatagram multiple = decode(datagram("192.0.2.1", 0, 1, 1,
                flowSample(1, 0, 1, 1, 1, 0, 0x3FFF_FFFF, 2L << 30 | 5, header)));
        assertThat(multiple.flows().get(0).getInInterface()).isZero();
        assertThat(multiple.flows().get(0).getOutInterface()).isZero();
        assertThat(multiple.flows().get(0).getForwardingStatus()).isZero();
        // output format 1: discarded, reason 258 (ACL) → RFC 7270 "ACL deny".
        SflowDatagram discarded = decode(datagram("192.0.2.1", 0, 1, 1,
                flowSample(1, 0, 1, 1, 1, 0, 4, 1L << 30 | 258, header)));
        assertThat(discarded.flows().get(0).getInInterface()).isEqualTo(4);
        assertThat(discarded.flows().get(0).getForwardingStatus()).isEqualTo(129);
        assertThat(discarded.flows().get(0).getEtherType()).isEqualTo(0x0806);
    }

    @Test
    void takesTheOuterTagOfAQinQFrameAsTheVlanAndTheInnerAsTheCustomerVlan() {
        byte[] frame = Packets.ethernet(0x0800, Packets.ipv4(0, 64, 17, "172.16.0.1", "172.16.0.2", 0,
                Packets.udp(4789, 4789, 0)), 0x88A8, 5 << 13 | 100, 0x8100, 3 << 13 | 200);

        FlowRecord f = onlyFlow(rawHeader(ETHERNET, 128, 4, frame));

        assertThat(f.getSrcVlan()).isEqualTo(100);
        assertThat(f.getSrcVlanPriority()).isEqualTo(5);
        assertThat(f.getDot1QCustomerVlan()).isEqualTo(200);
        assertThat(f.getEtherType()).isEqualTo(0x0800);
        assertThat(f.getSrcAddress()).isEqualTo(bs(ip("172.16.0.1")));
        assertThat(f.getSrcPort()).isEqualTo(4789);
    }

    @Test
    void decodesASingle8021QTag() {
        byte[] frame = Packets.ethernet(0x86DD, Packets.ipv6(0, 0, 59, 64, "2001:db8::a", "2001:db8::b", new byte[0]),
                0x8100, 42);
        FlowRecord f = onlyFlow(rawHeader(ETHERNET, 70, 4, frame));
        assertThat(f.getSrcVlan()).isEqualTo(42);
        assertThat(f.getDot1QCustomerVlan()).isZero();
        assertThat(f.getEtherType()).isEqualTo(0x86DD);
        assertThat(f.getIpProtocol()).isEqualTo(59);
    }

    @Test
    void decodesAnMplsLabelStackAndTheIpPacketUnderIt() {
        byte[] frame = Packets.ethernet(0x8847, Packets.mpls(Packets.ipv4(0, 250, 1, "192.0.2.33", "203.0.113.9", 0,
                Packets.icmp(8, 0)), 16_001, 24_005, 3));

        FlowRecord f = onlyFlow(rawHeader(ETHERNET, 102, 4, frame));

        assertThat(f.getMplsLabelsList()).containsExactly(16_001, 24_005, 3);
        assertThat(f.getEtherType()).isEqualTo(0x0800);
        assertThat(f.getIpProtocol()).isEqualTo(1);
        assertThat(f.getIcmpType()).isEqualTo(8);
        assertThat(f.getIcmpCode()).isZero();
        assertThat(f.getDstAddress()).isEqualTo(bs(ip("203.0.113.9")));
    }

    @Test
    void decodesAnMplsHeaderProtocolOverIpv6() {
        byte[] packet = Packets.mpls(Packets.ipv6(0, 7, 17, 60, "2001:db8::1", "2001:db8::2",
                Packets.udp(123, 123, 48)), 299_776);
        FlowRecord f = onlyFlow(rawHeader(13, 120, 0, packet));
        assertThat(f.getMplsLabelsList()).containsExactly(299_776);
        assertThat(f.getEtherType()).isEqualTo(0x86DD);
        assertThat(f.getSrcPort()).isEqualTo(123);
        assertThat(f.getFlowLabelIpv6()).isEqualTo(7);
    }

    @Test
    void walksIpv6ExtensionHeadersToTheUpperLayerProtocol() {
        // hop-by-hop → routing → fragment (offset 0) → destination options → TCP
        byte[] chain = Packets.extension(43, 0, Packets.extension(44, 1, Packets.fragment(60, 0, true,
                Packets.extension(6, 0, Packets.tcp(40000, 22, 0x02)))));
        byte[] frame = Packets.ethernet(0x86DD, Packets.ipv6(0x28, 0xABCDE, 0, 57, "2001:db8:1::10",
                "2001:db8:2::20", chain));

        FlowRecord f = onlyFlow(rawHeader(ETHERNET, 200, 4, frame));

        assertThat(f.getEtherType()).isEqualTo(0x86DD);
        assertThat(f.getSrcAddress()).isEqualTo(bs(ip("2001:db8:1::10")));
        assertThat(f.getDstAddress()).isEqualTo(bs(ip("2001:db8:2::20")));
        assertThat(f.getIpProtocol()).isEqualTo(6);
        assertThat(f.getSrcPort()).isEqualTo(40000);
        assertThat(f.getDstPort()).isEqualTo(22);
        assertThat(f.getTcpFlags()).isEqualTo(0x02);
        assertThat(f.getIpTos()).isEqualTo(0x28);
        assertThat(f.getDscp()).isEqualTo(10);
        assertThat(f.getFlowLabelIpv6()).isEqualTo(0xABCDE);
        assertThat(f.getIpTtl()).isEqualTo(57);
    }

    @Test
    void readsIcmpv6BehindHopByHopAndNoPortsFromALaterFragment() {
        FlowRecord icmp = onlyFlow(rawHeader(12, 80, 0, Packets.ipv6(0, 0, 0, 1, "fe80::1", "ff02::16",
                Packets.extension(58, 0, Packets.icmp(143, 0)))));
        assertThat(icmp.getIpProtocol()).isEqualTo(58);
        assertThat(icmp.getIcmpType()).isEqualTo(143);

        FlowRecord later = onlyFlow(rawHeader(12, 1280, 0, Packets.ipv6(0, 0, 44, 64, "2001:db8::1", "2001:db8::2",
                Packets.fragment(17, 185, false, Packets.udp(53, 53, 0)))));
        assertThat(later.getIpProtocol()).isEqualTo(17);
        assertThat(later.getSrcPort()).isZero();

        FlowRecord v4later = onlyFlow(rawHeader(11, 576, 0, Packets.ipv4(0, 64, 17, "10.0.0.1", "10.0.0.2", 185,
                Packets.udp(53, 53, 0))));
        assertThat(v4later.getIpProtocol()).isEqualTo(17);
        assertThat(v4later.getSrcPort()).isZero();
    }

    @Test
    void keepsWhatATruncatedHeaderHolds() {
        byte[] frame = Packets.ethernet(0x0800, Packets.ipv4(0, 64, 6, "10.9.9.9", "10.8.8.8", 0,
                Packets.tcp(1000, 2000, 0x18)));
        byte[] cut = Arrays.copyOf(frame, 14 + 20 + 4); // ports but not the flags
        FlowRecord f = onlyFlow(rawHeader(ETHERNET, 1500, 4, cut));
        assertThat(f.getSrcPort()).isEqualTo(1000);
        assertThat(f.getDstPort()).isEqualTo(2000);
        assertThat(f.getTcpFlags()).isZero();
        assertThat(f.getBytes()).isEqualTo(1500);
    }

    @Test
    void decodesSampledEthernetAndSampledIpv4Records() {
        FlowRecord f = onlyFlow(sampledEthernet(1518, SRC_MAC, DST_MAC, 0x0800),
                sampledIp(1500, 6, "10.0.0.5", "10.0.0.6", 33000, 80, 0x11, 0x20));
        assertThat(f.getSrcMac()).isEqualTo(bs(SRC_MAC));
        assertThat(f.getDstMac()).isEqualTo(bs(DST_MAC));
        assertThat(f.getEtherType()).isEqualTo(0x0800);
        assertThat(f.getBytes()).isEqualTo(1518);
        assertThat(f.getPackets()).isEqualTo(1);
        assertThat(f.getBytesScaled()).isEqualTo(151_800);
        assertThat(f.getSrcAddress()).isEqualTo(bs(ip("10.0.0.5")));
        assertThat(f.getDstPort()).isEqualTo(80);
        assertThat(f.getTcpFlags()).isEqualTo(0x11);
        assertThat(f.getIpTos()).isEqualTo(0x20);
        assertThat(f.getDscp()).isEqualTo(8);
    }

    @Test
    void decodesSampledIpv6RecordsWithIcmpTypeInThePortFields() {
        FlowRecord f = onlyFlow(sampledIp(104, 58, "2001:db8::1", "2001:db8::2", 128, 0, 0, 0));
        assertThat(f.getEtherType()).isEqualTo(0x86DD);
        assertThat(f.getSrcAddress()).isEqualTo(bs(ip("2001:db8::1")));
        assertThat(f.getIcmpType()).isEqualTo(128);
        assertThat(f.getSrcPort()).isZero();
        assertThat(f.getBytes()).isEqualTo(104);
    }

    @Test
    void decodesExtendedSwitchRouterAndGatewayData() {
        byte[] frame = Packets.ethernet(0x0800, Packets.ipv4(0, 64, 17, "10.0.0.1", "8.8.8.8", 0,
                Packets.udp(1, 53, 0)), 0x8100, 10);
        FlowRecord f = onlyFlow(rawHeader(ETHERNET, 100, 4, frame), extendedSwitch(10, 2, 20, 6),
                extendedRouter("192.0.2.254", 24, 16), extendedGateway("198.51.100.1", 64500, 64501, 64502,
                        64502, 3356, 15169));

        assertThat(f.getSrcVlan()).isEqualTo(10);
        assertThat(f.getSrcVlanPriority()).isEqualTo(2);
        assertThat(f.getDstVlan()).isEqualTo(20);
        assertThat(f.getDstVlanPriority()).isEqualTo(6);
        assertThat(f.getNextHop()).isEqualTo(bs(ip("192.0.2.254")));
        assertThat(f.getSrcPrefixLength()).isEqualTo(24);
        assertThat(f.getDstPrefixLength()).isEqualTo(16);
        assertThat(f.getBgpNextHop()).isEqualTo(bs(ip("198.51.100.1")));
        assertThat(f.getSrcAs()).isEqualTo(64501);
        assertThat(f.getDstAs()).isEqualTo(15169);
    }

    @Test
    void readsTheRoutersOwnAsWhenTheGatewayPathIsEmptyAndTheIpv6NextHops() {
        FlowRecord f = onlyFlow(extendedGateway("2001:db8::fe", 64500, 0, 0), extendedRouter("2001:db8::1", 48, 64));
        assertThat(f.getSrcAs()).isEqualTo(64500);
        assertThat(f.getDstAs()).isEqualTo(64500);
        // No packet record at all: still one sampled packet, scaled by the rate (100).
        assertThat(f.getPackets()).isEqualTo(1);
        assertThat(f.getPacketsScaled()).isEqualTo(100);
        assertThat(f.getBytes()).isZero();
        assertThat(f.getBgpNextHop()).isEqualTo(bs(ip("2001:db8::fe")));
        assertThat(f.getNextHop()).isEqualTo(bs(ip("2001:db8::1")));
        assertThat(f.getDstPrefixLength()).isEqualTo(64);
    }

    @Test
    void carriesUnknownFlowRecordsAndHeaderProtocolsThroughWithTheirBytes() {
        byte[] vendor = tlv(4413, 7, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        byte[] fddi = rawHeader(3, 60, 0, new byte[] {9, 9, 9, 9});
        byte[] bytes = datagram("192.0.2.1", 0, 1, 1, flowSample(1, 0, 3, 10, 10, 0, 1, 2, vendor,
                extendedSwitch(5, 0, 6, 0), fddi));

        SflowDatagram d = decode(bytes);

        FlowRecord f = d.flows().get(0);
        assertThat(d.unknownFlowRecords()).isEqualTo(2);
        assertThat(f.getUnknownFields_List()).containsExactly(
                FlowUnknownField.newBuilder().setEnterprise(4413).setType(7)
                        .setValue(bs(Arrays.copyOfRange(vendor, 8, vendor.length))).build(),
                FlowUnknownField.newBuilder().setEnterprise(0).setType(1)
                        .setValue(bs(Arrays.copyOfRange(fddi, 8, fddi.length))).build());
        assertThat(f.getSrcVlan()).isEqualTo(5);
        assertThat(f.getBytes()).isEqualTo(60);
    }

    @Test
    void decodesGenericInterfaceAndEthernetCountersAndCarriesOthers() {
        byte[] vlan = tlv(5, new byte[28]);
        byte[] bytes = datagram("192.0.2.9", 2, 77, 1,
                counterSample(12, 0, 5, genericInterface(5, 1000), ethernetCounters(2000), vlan),
                expandedCounterSample(13, 0, 80_000_000L, genericInterface(80_000_000, 5000)));

        SflowDatagram d = decode(bytes);

        assertThat(d.flows()).isEmpty();
        assertThat(d.samples(SampleKind.COUNTER)).isEqualTo(1);
        assertThat(d.samples(SampleKind.EXPANDED_COUNTER)).isEqualTo(1);
        assertThat(d.unknownCounterRecords()).isEqualTo(1);
        InterfaceCounters c = d.counters().get(0);
        assertThat(c.getAgentAddress()).isEqualTo(bs(ip("192.0.2.9")));
        assertThat(c.getSubAgentId()).isEqualTo(2);
        assertThat(c.getSequenceNumber()).isEqualTo(12);
        assertThat(c.getSourceIdType()).isZero();
        assertThat(c.getSourceIdIndex()).isEqualTo(5);
        assertThat(c.getIfIndex()).isEqualTo(5);
        assertThat(c.getIfType()).isEqualTo(6);
        assertThat(c.getIfSpeed()).isEqualTo(10_000_000_000L);
        assertThat(c.getIfDirection()).isEqualTo(1);
        assertThat(c.getIfStatus()).isEqualTo(3);
        assertThat(c.getInOctets()).isEqualTo(1001);
        assertThat(c.getInUnicastPackets()).isEqualTo(1002);
        assertThat(c.getInMulticastPackets()).isEqualTo(1003);
        assertThat(c.getInBroadcastPackets()).isEqualTo(1004);
        assertThat(c.getInDiscards()).isEqualTo(1005);
        assertThat(c.getInErrors()).isEqualTo(1006);
        assertThat(c.getInUnknownProtocols()).isEqualTo(1007);
        assertThat(c.getOutOctets()).isEqualTo(1008);
        assertThat(c.getOutUnicastPackets()).isEqualTo(1009);
        assertThat(c.getOutMulticastPackets()).isEqualTo(1010);
        assertThat(c.getOutBroadcastPackets()).isEqualTo(1011);
        assertThat(c.getOutDiscards()).isEqualTo(1012);
        assertThat(c.getOutErrors()).isEqualTo(1013);
        assertThat(c.getPromiscuousMode()).isZero();
        assertThat(c.getDot3AlignmentErrors()).isEqualTo(2001);
        assertThat(c.getDot3FcsErrors()).isEqualTo(2002);
        assertThat(c.getDot3SingleCollisionFrames()).isEqualTo(2003);
        assertThat(c.getDot3MultipleCollisionFrames()).isEqualTo(2004);
        assertThat(c.getDot3SqeTestErrors()).isEqualTo(2005);
        assertThat(c.getDot3DeferredTransmissions()).isEqualTo(2006);
        assertThat(c.getDot3LateCollisions()).isEqualTo(2007);
        assertThat(c.getDot3ExcessiveCollisions()).isEqualTo(2008);
        assertThat(c.getDot3InternalMacTransmitErrors()).isEqualTo(2009);
        assertThat(c.getDot3CarrierSenseErrors()).isEqualTo(2010);
        assertThat(c.getDot3FrameTooLongs()).isEqualTo(2011);
        assertThat(c.getDot3InternalMacReceiveErrors()).isEqualTo(2012);
        assertThat(c.getDot3SymbolErrors()).isEqualTo(2013);
        assertThat(c.getUnknownRecordsList()).containsExactly(FlowUnknownField.newBuilder().setType(5)
                .setValue(bs(new byte[28])).build());

        InterfaceCounters expanded = d.counters().get(1);
        assertThat(expanded.getSourceIdIndex()).isEqualTo(80_000_000);
        assertThat(expanded.getIfIndex()).isEqualTo(80_000_000);
        assertThat(expanded.getInOctets()).isEqualTo(5001);
        assertThat(expanded.hasDot3FcsErrors()).isFalse();
    }

    @Test
    void skipsUnknownSampleTypesByTheirLength() {
        byte[] bytes = datagram("192.0.2.1", 0, 1, 1, tlv(0, 5, new byte[12]), tlv(9, 1, new byte[4]),
                flowSample(1, 0, 3, 0, 0, 0, 1, 2, sampledIp(40, 17, "10.0.0.1", "10.0.0.2", 1, 2, 0, 0)));
        SflowDatagram d = decode(bytes);
        assertThat(d.samples(SampleKind.UNKNOWN)).isEqualTo(2);
        assertThat(d.flows()).hasSize(1);
        // Rate 0: unknown, so the scaled counts are the exported ones and the record says so.
        assertThat(d.flows().get(0).getSamplingSource()).isEqualTo(FlowRecord.SamplingSource.SAMPLING_SOURCE_UNKNOWN);
        assertThat(d.flows().get(0).getBytesScaled()).isEqualTo(40);
    }

    @Test
    void failsEmptyForeignAndMalformedDatagramsWithAReason() {
        assertThat(failure(new byte[0]).reason()).isEqualTo(DeadLetter.Reason.REASON_EMPTY);
        assertThat(failure(new byte[] {0, 0, 0, 4, 1, 2, 3, 4}).reason())
                .isEqualTo(DeadLetter.Reason.REASON_UNRECOGNIZED_FORMAT);
        assertThat(failure(new byte[] {'<', '1', '3', '>'}).reason())
                .isEqualTo(DeadLetter.Reason.REASON_UNRECOGNIZED_FORMAT);
        byte[] badAgent = new SflowEncoder.Xdr().u32(5).u32(3).u32(0).toBytes();
        assertThat(failure(badAgent).detail()).contains("agent_address type 3");
        byte[] lyingSample = SflowEncoder.concat(datagram("192.0.2.1", 0, 1, 1),
                new SflowEncoder.Xdr().u32(1).u32(10_000).toBytes());
        lyingSample[27] = 1; // samples count 1, whose length runs past the end
        DecodeResult.Failed<SflowDatagram> f = failure(lyingSample);
        assertThat(f.reason()).isEqualTo(DeadLetter.Reason.REASON_MALFORMED);
        assertThat(f.detail()).contains("sample 0");
        byte[] hugeCount = datagram("192.0.2.1", 0, 1, 1);
        hugeCount[27] = (byte) 0xFF;
        assertThat(failure(hugeCount).detail()).contains("samples count");
    }

    @Test
    void failsEveryTruncationOfAValidDatagramWithoutThrowing() {
        byte[] frame = Packets.ethernet(0x0800, Packets.ipv4(0, 64, 6, "10.0.0.1", "10.0.0.2", 0, Packets.tcp(1, 2, 2)));
        byte[] full = datagram("2001:db8::1", 0, 1, 1,
                flowSample(1, 0, 3, 10, 10, 0, 1, 2, rawHeader(ETHERNET, 64, 4, frame), extendedSwitch(1, 0, 2, 0),
                        extendedGateway("192.0.2.1", 1, 2, 3, 4, 5)),
                counterSample(1, 0, 1, genericInterface(1, 0), ethernetCounters(0)));
        assertThat(decoder.decode(full, NOW)).isInstanceOf(DecodeResult.Decoded.class);
        for (int n = 1; n < full.length; n++) {
            DecodeResult<SflowDatagram> r = decoder.decode(Arrays.copyOf(full, n), NOW);
            assertThat(r).as("first %d bytes", n).isInstanceOf(DecodeResult.Failed.class);
        }
    }

    @Test
    void failsAKnownRecordShorterThanItsStructure() {
        byte[] shortSwitch = tlv(1001, new byte[8]);
        DecodeResult.Failed<SflowDatagram> f = failure(datagram("192.0.2.1", 0, 1, 1,
                flowSample(1, 0, 3, 10, 10, 0, 1, 2, shortSwitch)));
        assertThat(f.reason()).isEqualTo(DeadLetter.Reason.REASON_MALFORMED);
        assertThat(f.detail()).contains("dst_vlan");
    }
}
