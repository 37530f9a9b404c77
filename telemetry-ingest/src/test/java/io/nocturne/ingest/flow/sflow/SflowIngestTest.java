package io.nocturne.ingest.flow.sflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.nocturne.common.kafka.ProtobufSerde;
import io.nocturne.ingest.IngestService;
import io.nocturne.telemetry.v1.DeadLetter;
import io.nocturne.telemetry.v1.FlowRecord;
import io.nocturne.telemetry.v1.TelemetryEvent;
import io.nocturne.testkit.EmbeddedKafkaExtension;
import io.nocturne.testkit.KafkaBroker;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The sflow listener as it runs: Micronaut context, a real UDP socket, a real broker. */
@ExtendWith(EmbeddedKafkaExtension.class)
class SflowIngestTest {

    private static final ProtobufSerde<TelemetryEvent> EVENTS = ProtobufSerde.protobuf(TelemetryEvent.getDefaultInstance());
    private static final ProtobufSerde<DeadLetter> DEAD = ProtobufSerde.protobuf(DeadLetter.getDefaultInstance());

    private record Topics(String flows, String counters, String dead) {
        static Topics unique() {
            return new Topics(KafkaBroker.uniqueTopic("flows"), KafkaBroker.uniqueTopic("counters"),
                    KafkaBroker.uniqueTopic("dead"));
        }
    }

    private static ApplicationContext startIngest(KafkaBroker kafka, Topics topics) {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("micronaut.server.port", -1);
        cfg.put("nocturne.kafka.bootstrap-servers", kafka.bootstrapServers());
        cfg.put("nocturne.topics.flows.name", topics.flows());
        cfg.put("nocturne.topics.counters.name", topics.counters());
        cfg.put("nocturne.topics.deadletter.name", topics.dead());
        for (String other : List.of("syslog-udp", "syslog-tcp", "snmp-traps")) {
            cfg.put("nocturne.ingest.listeners." + other + ".enabled", false);
        }
        cfg.put("nocturne.ingest.listeners.sflow.bind-address", "127.0.0.1");
        cfg.put("nocturne.ingest.listeners.sflow.port", 0);
        cfg.put("nocturne.ingest.listeners.sflow.sockets", 1);
        ApplicationContext ctx = ApplicationContext.run(EmbeddedServer.class, cfg).getApplicationContext();
        await().atMost(Duration.ofSeconds(60)).until(() -> ctx.getBean(IngestService.class).allListenersUp());
        return ctx;
    }

    private static int port(ApplicationContext ctx) {
        return ctx.getBean(IngestService.class).boundListeners().get("sflow").getPort();
    }

    private static void send(int port, byte[]... payloads) throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            for (byte[] p : payloads) {
                socket.send(new DatagramPacket(p, p.length, InetAddress.getLoopbackAddress(), port));
            }
        }
    }

    @Test
    void publishesFlowsAndCountersToTheirTopicsAndMalformedDatagramsAsDeadLetters(KafkaBroker kafka) throws Exception {
        Topics topics = Topics.unique();
        try (ApplicationContext ctx = startIngest(kafka, topics)) {
            byte[] good = SflowEncoder.datagram("192.0.2.50", 0, 1, 1,
                    SflowEncoder.flowSample(1, 0, 3, 2048, 10_000, 0, 3, 4,
                            SflowEncoder.sampledIp(1500, 6, "10.0.0.1", "10.0.0.2", 1000, 443, 0x10, 0)),
                    SflowEncoder.counterSample(1, 0, 3, SflowEncoder.genericInterface(3, 0)));
            byte[] truncated = java.util.Arrays.copyOf(good, good.length - 2);
            send(port(ctx), good, truncated);

            List<ConsumerRecord<String, TelemetryEvent>> flows = kafka.read(topics.flows(), EVENTS, 1, Duration.ofSeconds(30));
            List<ConsumerRecord<String, TelemetryEvent>> counters = kafka.read(topics.counters(), EVENTS, 1,
                    Duration.ofSeconds(30));
            List<ConsumerRecord<String, DeadLetter>> dead = kafka.read(topics.dead(), DEAD, 1, Duration.ofSeconds(30));

            assertThat(flows).hasSize(1);
            assertThat(flows.get(0).key()).isEqualTo("127.0.0.1");
            FlowRecord f = flows.get(0).value().getFlow();
            assertThat(f.getBytesScaled()).isEqualTo(1500L * 2048);
            assertThat(f.getDstPort()).isEqualTo(443);
            assertThat(flows.get(0).value().getDevice().getAddress()).isEqualTo("192.0.2.50");
            assertThat(counters).hasSize(1);
            assertThat(counters.get(0).value().getCounters().getIfIndex()).isEqualTo(3);
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).value().getReason()).isEqualTo(DeadLetter.Reason.REASON_MALFORMED);
            assertThat(dead.get(0).value().getProtocol()).isEqualTo("sflow");
            assertThat(dead.get(0).value().getRaw().toByteArray()).isEqualTo(truncated);
        }
    }

    @Test
    void decodesWhatPmacctSfprobeExportsFromAPcapOntoKafka(KafkaBroker kafka, @TempDir Path dir) throws Exception {
        Optional<Path> pmacctd = Pmacct.tool("pmacctd");
        Assumptions.assumeTrue(pmacctd.isPresent(), "pmacctd (Debian package pmacct) is not installed");
        Path pcap = Pmacct.writeTrafficPcap(dir);
        int expected = Pmacct.traffic().size() * Pmacct.REPEAT;
        Topics topics = Topics.unique();
        try (ApplicationContext ctx = startIngest(kafka, topics)) {
            Process pmacct = Pmacct.start(pmacctd.get(), dir, pcap, port(ctx));
            List<ConsumerRecord<String, TelemetryEvent>> records;
            try {
                records = kafka.read(topics.flows(), EVENTS, expected, Duration.ofSeconds(60),
                        r -> r.value().getFlow().getDstPort() != 9);
            } finally {
                pmacct.destroy();
            }
            assertThat(records).as("pmacctd log: %s", Files.readString(dir.resolve("pmacctd.log"))).hasSize(expected);

            // bytes: the frame as captured plus the 4-byte FCS pmacct counts (frame_length).
            Map<String, Long> byFlow = records.stream().map(r -> r.value().getFlow())
                    .collect(Collectors.groupingBy(SflowIngestTest::describe, Collectors.counting()));
            assertThat(byFlow).containsOnly(
                    Map.entry("10.1.1.1:1234>10.2.2.2:80 p6 tos184 flags2 vlan0 ttl64 bytes158", (long) Pmacct.REPEAT),
                    Map.entry("10.1.1.3:5000>10.2.2.4:53 p17 tos32 flags0 vlan0 ttl60 bytes76", (long) Pmacct.REPEAT),
                    Map.entry("10.1.1.5:0>10.2.2.6:0 p1 tos0 flags0 vlan42 ttl255 bytes106", (long) Pmacct.REPEAT),
                    Map.entry("2001:db8:0:0:0:0:0:1:40000>2001:db8:0:0:0:0:0:2:443 p6 tos0 flags24 vlan0 ttl64 bytes78",
                            (long) Pmacct.REPEAT),
                    Map.entry("2001:db8:0:0:0:0:0:3:546>2001:db8:0:0:0:0:0:4:547 p17 tos0 flags0 vlan0 ttl1 bytes94",
                            (long) Pmacct.REPEAT));
            TelemetryEvent first = records.get(0).value();
            assertThat(records.get(0).key()).isEqualTo("127.0.0.1");
            assertThat(first.getDevice().getAddress()).isEqualTo(Pmacct.AGENT);
            FlowRecord f = first.getFlow();
            assertThat(f.getProtocol()).isEqualTo(FlowRecord.Protocol.PROTOCOL_SFLOW_V5);
            assertThat(f.getSamplerAddress()).isEqualTo(ByteString.copyFrom(SflowEncoder.ip(Pmacct.AGENT)));
            assertThat(f.getSamplingRate()).isEqualTo(1);
            assertThat(f.getSamplingSource()).isEqualTo(FlowRecord.SamplingSource.SAMPLING_SOURCE_PACKET);
            assertThat(f.getPacketsScaled()).isEqualTo(1);
            assertThat(f.getSrcMac()).isEqualTo(ByteString.copyFrom(Packets.SRC_MAC));
            assertThat(records.stream().map(r -> r.value().getFlow().getSequenceNumber()).distinct().count())
                    .as("datagram sequence numbers").isGreaterThan(1);
        }
    }

    static String describe(FlowRecord f) {
        Function<ByteString, String> ip = b -> {
            try {
                return InetAddress.getByAddress(b.toByteArray()).getHostAddress();
            } catch (java.net.UnknownHostException e) {
                return "?";
            }
        };
        return ip.apply(f.getSrcAddress()) + ":" + f.getSrcPort() + ">" + ip.apply(f.getDstAddress()) + ":"
                + f.getDstPort() + " p" + f.getIpProtocol() + " tos" + f.getIpTos() + " flags" + f.getTcpFlags()
                + " vlan" + f.getSrcVlan() + " ttl" + f.getIpTtl() + " bytes" + f.getBytes();
    }
}
