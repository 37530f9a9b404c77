package io.nocturne.ingest.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.nocturne.ingest.decode.DecodeResult;
import io.nocturne.telemetry.v1.FlowRecord;
import io.nocturne.testkit.SharedCaptures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The 92 real-device datagrams of ../shared/captures/netflow-real-devices: each device's
 * template files first, then its data, from one exporter address per device.
 */
class FlowRealDeviceCapturesTest {

    static final long NOW = 1_700_000_000_000_000_000L;

    /** The device a capture came from: its name without the tpl/data suffix. */
    static String device(String file) {
        return file.replace(".dat", "").replaceFirst("_(opttpl|tplopt|tpldata|tpls|tpl|data).*$", "");
    }

    static Path dir() {
        SharedCaptures.require("netflow-real-devices/netflow5.dat");
        return SharedCaptures.sharedDir().resolve("captures/netflow-real-devices");
    }

    /** Decodes every capture; results by file name, in feeding order. */
    static Map<String, DecodeResult<List<FlowRecord>>> decodeAll(FlowPacketDecoder decoder) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir())) {
            files = new ArrayList<>(s.filter(p -> p.toString().endsWith(".dat")).toList());
        }
        // Templates before data: files with "tpl" in the name first, then by name.
        files.sort(Comparator.comparing((Path p) -> !p.getFileName().toString().contains("tpl"))
                .thenComparing(p -> p.getFileName().toString()));
        Map<String, String> exporters = new LinkedHashMap<>();
        Map<String, DecodeResult<List<FlowRecord>>> out = new LinkedHashMap<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            String exporter = exporters.computeIfAbsent(device(name), d -> "192.0.2." + (exporters.size() + 1));
            out.put(name, decoder.decode(Files.readAllBytes(f), exporter, NOW));
        }
        return out;
    }

    static List<FlowRecord> records(Map<String, DecodeResult<List<FlowRecord>>> all, String file) {
        assertThat(all).containsKey(file);
        assertThat(all.get(file)).isInstanceOf(DecodeResult.Decoded.class);
        return ((DecodeResult.Decoded<List<FlowRecord>>) all.get(file)).value();
    }

    static String ip(com.google.protobuf.ByteString b) {
        try {
            return java.net.InetAddress.getByAddress(b.toByteArray()).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return "?" + b;
        }
    }

    static long nanos(String instant) {
        java.time.Instant i = java.time.Instant.parse(instant);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    /** Counts what the decoder reports. */
    static final class Counting implements FlowEvents {
        final java.util.Map<String, Long> counts = new java.util.concurrent.ConcurrentHashMap<>();

        void add(String k, long n) {
            counts.merge(k, n, Long::sum);
        }

        @Override
        public void malformed(FlowRecord.Protocol protocol) {
            add("malformed", 1);
        }

        @Override
        public void templateMiss(FlowRecord.Protocol protocol, String exporter) {
            add("miss", 1);
        }

        @Override
        public void unknownSampling(String exporter, int records) {
            add("unknownSampling", records);
        }

        @Override
        public void sequenceGap(FlowRecord.Protocol protocol, String exporter, long lost) {
            add("lost", lost);
        }

        long get(String k) {
            return counts.getOrDefault(k, 0L);
        }
    }

    @Test
    void everyDataCaptureDecodesAfterItsTemplatesAndNothingThrows() throws IOException {
        var all = decodeAll(FlowPacketDecoder.standalone());
        assertThat(all).hasSize(92);
        // Options data only (sampler / exporter statistics), no flow records: right to give none.
        List<String> optionsOnly = List.of("ipfix_test_juniper_mx240_junos151r6s3_data512.dat",
                "ipfix_test_yaf_data53248.dat", "netflow9_test_cisco_asr9k_data256.dat",
                "netflow9_test_fortigate_fortios_521_data256.dat");
        all.forEach((file, result) -> {
            if (file.contains("invalid")) {
                return;
            }
            assertThat(result).as(file).isInstanceOf(DecodeResult.Decoded.class);
            if (file.contains("data") && !optionsOnly.contains(file)) {
                assertThat(records(all, file)).as(file).isNotEmpty();
            }
        });
    }

    @Test
    void malformedCapturesAreDeadLetteredOrCounted() throws IOException {
        Counting events = new Counting();
        FlowPacketDecoder decoder = new FlowPacketDecoder(io.nocturne.ingest.flow.template.TemplateCache.inMemory(),
                SamplingRates.none(), PendingSets.disabled(), events, null);
        var all = decodeAll(decoder);
        assertThat(all.get("netflow5_test_invalid01.dat")).isInstanceOf(DecodeResult.Failed.class);
        assertThat(all.get("netflow5_test_invalid02.dat")).isInstanceOf(DecodeResult.Failed.class);
        assertThat(((DecodeResult.Failed<?>) all.get("netflow5_test_invalid01.dat")).reason())
                .isEqualTo(io.nocturne.telemetry.v1.DeadLetter.Reason.REASON_MALFORMED);
        // netflow9_test_invalid01: its options template flowset is 22 bytes, not padded to 4
        // (RFC 3954 §5.3 asks for padding; tshark stops decoding there). Taken leniently: the
        // sampler options (interval 100, scope interface) and both data flowsets decode.
        List<FlowRecord> v9 = records(all, "netflow9_test_invalid01.dat");
        assertThat(v9).hasSize(2);
        assertThat(v9).allSatisfy(r -> {
            assertThat(r.getSamplingRate()).isEqualTo(100);
            assertThat(r.getSamplingSource()).isEqualTo(FlowRecord.SamplingSource.SAMPLING_SOURCE_OPTIONS);
        });
        assertThat(ip(v9.get(0).getSrcAddress())).isEqualTo("2001:44b8:1118:7200:0:0:0:10");
        assertThat(v9.get(0).getEtherType()).isEqualTo(0x86DD);
    }

    @Test
    void juniperMx80NetflowV5MatchesTshark() throws IOException {
        FlowRecord r = records(decodeAll(FlowPacketDecoder.standalone()), "netflow5_test_juniper_mx80.dat").get(0);
        assertThat(ip(r.getSrcAddress())).isEqualTo("10.0.0.1");
        assertThat(ip(r.getDstAddress())).isEqualTo("192.168.0.2");
        assertThat(ip(r.getNextHop())).isEqualTo("192.168.0.2");
        assertThat(r.getInInterface()).isEqualTo(542);
        assertThat(r.getOutInterface()).isEqualTo(536);
        assertThat(r.getPackets()).isEqualTo(1);
        assertThat(r.getBytes()).isEqualTo(1500);
        assertThat(r.getSrcPort()).isEqualTo(443);
        assertThat(r.getDstPort()).isEqualTo(61608);
        assertThat(r.getTcpFlags()).isEqualTo(0x10);
        assertThat(r.getIpProtocol()).isEqualTo(6);
        assertThat(r.getSrcAs()).isEqualTo(64497);
        assertThat(r.getDstAs()).isEqualTo(64496);
        assertThat(r.getSrcPrefixLength()).isEqualTo(14);
        assertThat(r.getDstPrefixLength()).isEqualTo(24);
        assertThat(r.getSequenceNumber()).isEqualTo(528678);
        // Header: sysUptime 190649.064 s at 1469109172 s; the flow started at uptime 190632 s.
        assertThat(r.getFlowStartUnixNanos()).isEqualTo((1469109172000L - 190649064L + 190632000L) * 1_000_000L);
        // The header's sampling interval (mode 0, interval 1000) is the rate.
        assertThat(r.getSamplingRate()).isEqualTo(1000);
        assertThat(r.getSamplingSource()).isEqualTo(FlowRecord.SamplingSource.SAMPLING_SOURCE_PACKET);
        assertThat(r.getBytesScaled()).isEqualTo(1_500_000);
        assertThat(r.getPacketsScaled()).isEqualTo(1000);
    }

    @Test
    void ciscoAsaNetflowV9MatchesTshark() throws IOException {
        FlowRecord r = records(decodeAll(FlowPacketDecoder.standalone()), "netflow9_test_cisco_asa_1_data.dat").get(0);
        assertThat(r.getProtocol()).isEqualTo(FlowRecord.Protocol.PROTOCOL_NETFLOW_V9);
        assertThat(ip(r.getSrcAddress())).isEqualTo("192.168.14.1");
        assertThat(ip(r.getDstAddress())).isEqualTo("2.2.2.11");
        assertThat(r.getDstPort()).isEqualTo(17549);
        assertThat(r.getInInterface()).isEqualTo(3);
        assertThat(r.getOutInterface()).isEqualTo(2);
        assertThat(r.getIpProtocol()).isEqualTo(1);
        assertThat(r.getIcmpType()).isZero();
        // Permanent octets (IE 85, a total count) stand in for the missing delta.
        assertThat(r.getBytes()).isEqualTo(56);
        assertThat(r.getFlowStartUnixNanos()).isEqualTo(nanos("2015-10-09T09:47:47.569Z"));
        assertThat(r.getEtherType()).isEqualTo(0x0800);
        // NSEL firewall fields have no FlowRecord field: carried through, never dropped.
        assertThat(r.getUnknownFields_List()).extracting(f -> f.getType()).contains(40005, 33002, 323);
        assertThat(r.getSamplingSource()).isEqualTo(FlowRecord.SamplingSource.SAMPLING_SOURCE_UNKNOWN);
        assertThat(r.getBytesScaled()).isEqualTo(56);
    }

    @Test
    void openbsdPflowIpfixMatchesTshark() throws IOException {
        FlowRecord r = records(decodeAll(FlowPacketDecoder.standalone()), "ipfix_test_openbsd_pflow_data.dat").get(0);
        assertThat(r.getProtocol()).isEqualTo(FlowRecord.Protocol.PROTOCOL_IPFIX);
        assertThat(ip(r.getSrcAddress())).isEqualTo("192.168.0.17");
        assertThat(ip(r.getDstAddress())).isEqualTo("192.168.0.1");
        assertThat(r.getInInterface()).isEqualTo(1);
        assertThat(r.getOutInterface()).isEqualTo(1);
        assertThat(r.getPackets()).isEqualTo(7);
        assertThat(r.getBytes()).isEqualTo(373);
        assertThat(r.getSrcPort()).isEqualTo(64020);
        assertThat(r.getDstPort()).isEqualTo(80);
        assertThat(r.getIpProtocol()).isEqualTo(6);
        assertThat(r.getFlowStartUnixNanos()).isEqualTo(nanos("2016-07-21T13:29:59Z"));
        assertThat(r.getFlowEndUnixNanos()).isEqualTo(nanos("2016-07-21T13:29:59Z"));
    }

    @Test
    void iptNetflowReducedSizeEncodingMatchesTshark() throws IOException {
        FlowRecord r = records(decodeAll(FlowPacketDecoder.standalone()),
                "netflow9_test_iptnetflow_reduced_size_encoding_tpldata260.dat").get(0);
        assertThat(ip(r.getSrcAddress())).isEqualTo("37.122.1.226");
        assertThat(ip(r.getDstAddress())).isEqualTo("193.151.198.166");
        assertThat(ip(r.getNextHop())).isEqualTo("193.151.192.17");
        assertThat(r.getSrcPort()).isEqualTo(27622);
        assertThat(r.getDstPort()).isEqualTo(36025);
        assertThat(r.getTcpFlags()).isEqualTo(0x02);
        assertThat(r.getInInterface()).isEqualTo(7);
        assertThat(r.getPackets()).isEqualTo(3);
        assertThat(r.getBytes()).isEqualTo(156);
        assertThat(r.getFlowEndUnixNanos() - r.getFlowStartUnixNanos()).isEqualTo(8_996_000_000L);
        assertThat(r.getDstMac().toByteArray()).containsExactly(0x00, 0x1b, 0x21, 0xbc, 0x24, 0xdd);
        assertThat(r.getSrcMac().toByteArray()).containsExactly(0x90, 0xe2, 0xba, 0x23, 0x09, 0xfc);
    }

    @Test
    void ciscoNbarApplicationIdAndMacsMatchTshark() throws IOException {
        FlowRecord r = records(decodeAll(FlowPacketDecoder.standalone()), "netflow9_test_cisco_nbar_data262.dat").get(0);
        assertThat(ip(r.getSrcAddress())).isEqualTo("10.30.18.62");
        assertThat(ip(r.getDstAddress())).isEqualTo("10.30.19.180");
        // RFC 6759: classification engine 1 (IANA-L3), selector 1.
        assertThat(r.getApplicationId().toByteArray()).containsExactly(1, 0, 0, 1);
        assertThat(r.getSrcMac().toByteArray()).containsExactly(0x00, 0x50, 0x56, 0x91, 0x56, 0x86);
        assertThat(r.getDstMac().toByteArray()).containsExactly(0x1c, 0xdf, 0x0f, 0x7e, 0xc3, 0x58);
        assertThat(r.getSrcPrefixLength()).isEqualTo(23);
        assertThat(r.getBytes()).isEqualTo(44);
        assertThat(r.getPackets()).isEqualTo(1);
        assertThat(r.getIpProtocol()).isEqualTo(1);
    }

    @Test
    void fortigateSamplerOptionsGiveTheRateOfLaterRecords() throws IOException {
        // fortios_521: options data (scope System) says samplingInterval 1 before the data.
        FlowRecord r = records(decodeAll(FlowPacketDecoder.standalone()),
                "netflow9_test_fortigate_fortios_521_data257.dat").get(0);
        assertThat(r.getSamplingSource()).isEqualTo(FlowRecord.SamplingSource.SAMPLING_SOURCE_OPTIONS);
        assertThat(r.getSamplingRate()).isEqualTo(1);
    }
}
