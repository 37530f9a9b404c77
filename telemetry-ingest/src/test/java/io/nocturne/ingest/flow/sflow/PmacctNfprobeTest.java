package io.nocturne.ingest.flow.sflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.nocturne.common.kafka.ProtobufSerde;
import io.nocturne.ingest.IngestService;
import io.nocturne.telemetry.v1.FlowRecord;
import io.nocturne.telemetry.v1.TelemetryEvent;
import io.nocturne.testkit.EmbeddedKafkaExtension;
import io.nocturne.testkit.KafkaBroker;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * pmacct's {@code pmacctd} with the {@code nfprobe} plugin as a real NetFlow v9 and IPFIX
 * exporter: it meters the pcap of {@link Pmacct#traffic()} (each frame 10 times) and exports
 * the flows to the running ingest's {@code netflow-udp} listener; Kafka must hold exactly those
 * flows.
 *
 * <p>nfprobe exports a savefile's flows only when it is stopped ({@link Pmacct#flushNfprobe}
 * says why), so every flow arrives once, whole: 10 packets. What nfprobe 1.7.7 puts in its
 * templates (default aggregation): addresses, ports, IP protocol, bytes (IP length, no L2),
 * packets, TCP flags, ToS, direction, interfaces (0), flowStart/EndMilliseconds; no VLAN, MAC
 * or TTL, so the 802.1Q tag of the ICMP frames is not seen. IPv6 flows carry ToS 0: nfprobe
 * fills ToS from IPv4 packets only (its IPv6 flow record leaves it unset). tshark's cflow
 * dissector reads the same values from a capture of both exports (checked by hand).
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class PmacctNfprobeTest {

    private static final ProtobufSerde<TelemetryEvent> EVENTS = ProtobufSerde.protobuf(TelemetryEvent.getDefaultInstance());
    /** Packet time of the pcap's first frame, in ms (see {@link Pmacct#writePcap}: 10 ms apart). */
    private static final long T0_MS = 1_780_000_000_000L;

    private static ApplicationContext startIngest(KafkaBroker kafka, String flows) {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("micronaut.server.port", -1);
        cfg.put("nocturne.kafka.bootstrap-servers", kafka.bootstrapServers());
        cfg.put("nocturne.topics.flows.name", flows);
        cfg.put("nocturne.topics.flow-templates.name", KafkaBroker.uniqueTopic("flow-templates"));
        cfg.put("nocturne.topics.counters.name", KafkaBroker.uniqueTopic("counters"));
        cfg.put("nocturne.topics.deadletter.name", KafkaBroker.uniqueTopic("dead"));
        for (String off : List.of("syslog-udp", "syslog-tcp", "snmp-traps", "ipfix-udp", "ipfix-tcp", "sflow")) {
            cfg.put("nocturne.ingest.listeners." + off + ".enabled", false);
        }
        cfg.put("nocturne.ingest.listeners.netflow-udp.bind-address", "127.0.0.1");
        cfg.put("nocturne.ingest.listeners.netflow-udp.port", 0);
        cfg.put("nocturne.ingest.listeners.netflow-udp.sockets", 1);
        ApplicationContext ctx = ApplicationContext.run(EmbeddedServer.class, cfg).getApplicationContext();
        await().atMost(Duration.ofSeconds(60)).until(() -> ctx.getBean(IngestService.class).allListenersUp());
        return ctx;
    }

    @ParameterizedTest(name = "nfprobe_version {0}")
    @ValueSource(ints = {9, 10})
    void decodesWhatPmacctNfprobeExportsFromAPcapOntoKafka(int version, KafkaBroker kafka, @TempDir Path dir)
            throws Exception {
        Optional<Path> pmacctd = Pmacct.tool("pmacctd");
        Assumptions.assumeTrue(pmacctd.isPresent(), "pmacctd (Debian package pmacct) is not installed");
        Path pcap = Pmacct.writeTrafficPcap(dir);
        String flows = KafkaBroker.uniqueTopic("flows");
        try (ApplicationContext ctx = startIngest(kafka, flows)) {
            int port = ctx.getBean(IngestService.class).boundListeners().get("netflow-udp").getPort();
            Process pmacct = Pmacct.startNfprobe(pmacctd.get(), dir, pcap, port, version);
            try {
                Pmacct.flushNfprobe(pmacct, dir, Duration.ofSeconds(30));
            } finally {
                pmacct.destroy();
            }
            // The five traffic flows and the sentinels' flow (10.9.9.9:9, not asserted further:
            // its packet count includes the repeats of pmacctd's last buffer, see writeTrafficPcap).
            List<ConsumerRecord<String, TelemetryEvent>> records = kafka.read(flows, EVENTS,
                    Pmacct.traffic().size() + 1, Duration.ofSeconds(30));
            String log = Files.readString(dir.resolve("pmacctd.log"));
            assertThat(records).as("pmacctd log: %s", log).hasSize(Pmacct.traffic().size() + 1);
            List<FlowRecord> traffic = records.stream().map(r -> r.value().getFlow())
                    .filter(f -> f.getDstPort() != 9).toList();

            // bytes: IP total length × 10 (nfprobe counts the IP packet, not the frame).
            // Frame k of the 5 is sent at k × 10 ms and repeats every 50 ms, 10 times.
            assertThat(traffic).extracting(PmacctNfprobeTest::describe).as("pmacctd log: %s", log)
                    .containsExactlyInAnyOrder(
                            "10.1.1.1:1234>10.2.2.2:80 p6 tos184 flags2 packets10 bytes1400 t0..450",
                            "10.1.1.3:5000>10.2.2.4:53 p17 tos32 flags0 packets10 bytes580 t10..460",
                            // ICMP: nfprobe exports type 8 code 0 as destination port 8 × 256 + 0.
                            "10.1.1.5:0>10.2.2.6:2048 p1 tos0 flags0 packets10 bytes840 t20..470",
                            "2001:db8:0:0:0:0:0:1:40000>2001:db8:0:0:0:0:0:2:443 p6 tos0 flags24 packets10 bytes600 t30..480",
                            "2001:db8:0:0:0:0:0:3:546>2001:db8:0:0:0:0:0:4:547 p17 tos0 flags0 packets10 bytes760 t40..490");
            FlowRecord.Protocol expected = version == 9 ? FlowRecord.Protocol.PROTOCOL_NETFLOW_V9
                    : FlowRecord.Protocol.PROTOCOL_IPFIX;
            for (ConsumerRecord<String, TelemetryEvent> r : records) {
                assertThat(r.key()).isEqualTo("127.0.0.1");
                assertThat(r.value().getFlow().getProtocol()).isEqualTo(expected);
            }
        }
    }

    static String describe(FlowRecord f) {
        return ip(f.getSrcAddress()) + ":" + f.getSrcPort() + ">" + ip(f.getDstAddress()) + ":" + f.getDstPort()
                + " p" + f.getIpProtocol() + " tos" + f.getIpTos() + " flags" + f.getTcpFlags()
                + " packets" + f.getPackets() + " bytes" + f.getBytes()
                + " t" + (f.getFlowStartUnixNanos() / 1_000_000 - T0_MS) + ".." + (f.getFlowEndUnixNanos() / 1_000_000 - T0_MS);
    }

    private static String ip(ByteString b) {
        try {
            return InetAddress.getByAddress(b.toByteArray()).getHostAddress();
        } catch (UnknownHostException e) {
            return "?" + b;
        }
    }
}
