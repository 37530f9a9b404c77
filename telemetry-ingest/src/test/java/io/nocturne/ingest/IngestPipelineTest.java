package io.nocturne.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micronaut.context.ApplicationContext;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import io.nocturne.common.kafka.ProtobufSerde;
import io.nocturne.common.kafka.RecordHeaders;
import io.nocturne.telemetry.v1.DeadLetter;
import io.nocturne.telemetry.v1.SyslogMessage;
import io.nocturne.telemetry.v1.TelemetryEvent;
import io.nocturne.testkit.EmbeddedKafkaExtension;
import io.nocturne.testkit.KafkaBroker;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ingest service as it runs: Micronaut context, a real UDP socket, a real broker.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class IngestPipelineTest {

    private static final ProtobufSerde<TelemetryEvent> EVENTS = ProtobufSerde.protobuf(TelemetryEvent.getDefaultInstance());
    private static final ProtobufSerde<DeadLetter> DEAD = ProtobufSerde.protobuf(DeadLetter.getDefaultInstance());

    private static ApplicationContext startIngest(KafkaBroker kafka, String syslogTopic, String deadTopic,
                                                  String format) {
        return startIngest(kafka, syslogTopic, deadTopic, format, Map.of());
    }

    private static ApplicationContext startIngest(KafkaBroker kafka, String syslogTopic, String deadTopic,
                                                  String format, Map<String, Object> extra) {
        Map<String, Object> cfg = new java.util.HashMap<>();
        cfg.put("micronaut.server.port", -1);
        cfg.put("nocturne.kafka.bootstrap-servers", kafka.bootstrapServers());
        cfg.put("nocturne.topics.syslog.name", syslogTopic);
        cfg.put("nocturne.topics.syslog.format", format);
        cfg.put("nocturne.topics.syslog.partitions", 2);
        cfg.put("nocturne.topics.deadletter.name", deadTopic);
        cfg.put("nocturne.ingest.listeners.syslog-udp.bind-address", "127.0.0.1");
        cfg.put("nocturne.ingest.listeners.syslog-udp.port", 0);
        cfg.put("nocturne.ingest.listeners.syslog-udp.sockets", 2);
        cfg.put("nocturne.ingest.listeners.syslog-udp.keep-raw", true);
        cfg.put("nocturne.ingest.listeners.syslog-tcp.bind-address", "127.0.0.1");
        cfg.put("nocturne.ingest.listeners.syslog-tcp.port", 0);
        cfg.putAll(extra);
        ApplicationContext ctx = ApplicationContext.run(EmbeddedServer.class, cfg).getApplicationContext();
        await().atMost(Duration.ofSeconds(60)).until(() -> ctx.getBean(IngestService.class).allListenersUp());
        return ctx;
    }

    private static int port(ApplicationContext ctx) {
        return ctx.getBean(IngestService.class).boundListeners().get("syslog-udp").getPort();
    }

    private static int tcpPort(ApplicationContext ctx) {
        return ctx.getBean(IngestService.class).boundListeners().get("syslog-tcp").getPort();
    }

    private static void send(int port, byte[] payload) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.send(new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(), port));
        }
    }

    @Test
    void publishesADecodedDatagramKeyedByExporterWithHeaders(KafkaBroker kafka) throws Exception {
        String topic = KafkaBroker.uniqueTopic("syslog");
        String dead = KafkaBroker.uniqueTopic("dead");
        try (ApplicationContext ctx = startIngest(kafka, topic, dead, "protobuf")) {
            byte[] payload = "<187>1 2026-03-10T11:59:58.123Z edge-1 IOSXE 42 LINK - %LINK-3-UPDOWN: Gi0/1 down"
                    .getBytes(StandardCharsets.UTF_8);
            send(port(ctx), payload);

            List<ConsumerRecord<String, TelemetryEvent>> records = kafka.read(topic, EVENTS, 1, Duration.ofSeconds(30));
            assertThat(records).hasSize(1);
            ConsumerRecord<String, TelemetryEvent> r = records.get(0);
            assertThat(r.key()).isEqualTo("127.0.0.1");
            assertThat(RecordHeaders.lastString(r.headers(), RecordHeaders.CONTENT_TYPE))
                    .isEqualTo("application/x-protobuf; messageType=nocturne.v1.TelemetryEvent");
            assertThat(RecordHeaders.lastString(r.headers(), RecordHeaders.SCHEMA_VERSION)).isEqualTo("1");
            TelemetryEvent e = r.value();
            assertThat(e.getListener()).isEqualTo("syslog-udp");
            assertThat(e.getExporter().getAddress()).isEqualTo("127.0.0.1");
            assertThat(e.getListenerEndpoint().getPort()).isEqualTo(port(ctx));
            assertThat(e.getDevice().getName()).isEqualTo("edge-1");
            assertThat(e.getRaw().toByteArray()).isEqualTo(payload);
            assertThat(r.timestamp()).isEqualTo(e.getReceiveTimeUnixNanos() / 1_000_000L);
            SyslogMessage m = e.getSyslog();
            assertThat(m.getSeverity()).isEqualTo(3);
            assertThat(m.getAppName()).isEqualTo("IOSXE");
            assertThat(m.getMessage()).isEqualTo("%LINK-3-UPDOWN: Gi0/1 down");
            assertThat(m.getParseStatus()).isEqualTo(SyslogMessage.ParseStatus.PARSE_STATUS_OK);
            assertThat(m.getDialect()).isEqualTo(SyslogMessage.Dialect.DIALECT_CISCO_IOS);
            assertThat(m.getTimestampFractionDigits()).isEqualTo(3);
            assertThat(m.getTimestampZoneSource()).isEqualTo(SyslogMessage.ZoneSource.ZONE_SOURCE_OFFSET);
            assertThat(m.getInterfacesList()).containsExactly("Gi0/1");
        }
    }

    @Test
    void publishesOddTextWithItsParseStatusAndCountsEveryMessageByDialect(KafkaBroker kafka) throws Exception {
        String topic = KafkaBroker.uniqueTopic("syslog");
        String dead = KafkaBroker.uniqueTopic("dead");
        try (ApplicationContext ctx = startIngest(kafka, topic, dead, "protobuf")) {
            int port = port(ctx);
            send(port, "Mar  1 18:46:11 web01 sshd[4242]: no PRI at all".getBytes(StandardCharsets.UTF_8));
            send(port, "<14>1 2026-03-10T11:59:58Z host app - - [broken".getBytes(StandardCharsets.UTF_8));
            send(port, ("<189>date=2026-03-10 time=11:59:58 devname=\"FGT60E\" devid=\"FGT60E4Q1\" logid=\"0000000013\" "
                    + "type=\"traffic\" subtype=\"forward\" srcintf=\"port1\" dstintf=\"wan1\" action=\"deny\"")
                    .getBytes(StandardCharsets.UTF_8));
            send(port, "<166>%ASA-6-302013: Built outbound TCP connection 1 for outside:192.0.2.1/53 (192.0.2.1/53) to inside:10.0.0.5/5353 (10.0.0.5/5353)"
                    .getBytes(StandardCharsets.UTF_8));
            send(port, new byte[] {0x30, (byte) 0x82, 0x00, 0x10, 0x02, 0x01, 0x01}); // BER (SNMP) on the syslog port

            var records = kafka.read(topic, EVENTS, 4, Duration.ofSeconds(30));
            var byStatus = records.stream().map(r -> r.value().getSyslog()).toList();
            assertThat(byStatus).extracting(SyslogMessage::getParseStatus).containsExactlyInAnyOrder(
                    SyslogMessage.ParseStatus.PARSE_STATUS_NO_PRI, SyslogMessage.ParseStatus.PARSE_STATUS_MALFORMED_RFC5424,
                    SyslogMessage.ParseStatus.PARSE_STATUS_OK, SyslogMessage.ParseStatus.PARSE_STATUS_OK);
            SyslogMessage forti = byStatus.stream()
                    .filter(m -> m.getDialect() == SyslogMessage.Dialect.DIALECT_FORTIOS).findFirst().orElseThrow();
            assertThat(forti.getHostname()).isEqualTo("FGT60E");
            assertThat(forti.getFieldsMap()).containsEntry("action", "deny").containsEntry("logid", "0000000013");
            assertThat(forti.getInterfacesList()).containsExactly("port1", "wan1");
            SyslogMessage malformed = byStatus.stream()
                    .filter(m -> m.getParseStatus() == SyslogMessage.ParseStatus.PARSE_STATUS_MALFORMED_RFC5424)
                    .findFirst().orElseThrow();
            assertThat(malformed.getMessage()).isEqualTo("1 2026-03-10T11:59:58Z host app - - [broken");
            assertThat(malformed.getParseError()).startsWith("RFC 5424 message malformed at byte");

            var letters = kafka.read(dead, DEAD, 1, Duration.ofSeconds(30));
            assertThat(letters.get(0).value().getReason()).isEqualTo(DeadLetter.Reason.REASON_UNRECOGNIZED_FORMAT);

            String metrics = scrape(ctx);
            assertThat(metrics).contains(
                    "nocturne_ingest_syslog_messages_total{dialect=\"generic\",format=\"rfc3164\",listener=\"syslog-udp\",status=\"no_pri\"} 1.0",
                    "nocturne_ingest_syslog_messages_total{dialect=\"generic\",format=\"unstructured\",listener=\"syslog-udp\",status=\"malformed_rfc5424\"} 1.0",
                    "nocturne_ingest_syslog_messages_total{dialect=\"fortios\",format=\"unstructured\",listener=\"syslog-udp\",status=\"ok\"} 1.0",
                    "nocturne_ingest_syslog_messages_total{dialect=\"cisco_asa\",format=\"unstructured\",listener=\"syslog-udp\",status=\"ok\"} 1.0",
                    "nocturne_ingest_decode_failures_total{listener=\"syslog-udp\",protocol=\"syslog\",reason=\"unrecognized_format\"} 1.0");
        }
    }

    @Test
    void writesCanonicalJsonWhenTheTopicIsConfiguredSo(KafkaBroker kafka) throws Exception {
        String topic = KafkaBroker.uniqueTopic("syslog-json");
        try (ApplicationContext ctx = startIngest(kafka, topic, KafkaBroker.uniqueTopic("dead"), "json")) {
            send(port(ctx), "<13>Mar  5 01:02:03 sw1 sshd[7]: hi".getBytes(StandardCharsets.US_ASCII));
            var records = kafka.read(topic, EVENTS, 1, Duration.ofSeconds(30));
            assertThat(records).hasSize(1);
            assertThat(RecordHeaders.lastString(records.get(0).headers(), RecordHeaders.CONTENT_TYPE))
                    .isEqualTo("application/json; messageType=nocturne.v1.TelemetryEvent");
            // The deserializer followed the header; the body came through the JSON mapping.
            assertThat(records.get(0).value().getSyslog().getHostname()).isEqualTo("sw1");
            assertThat(records.get(0).value().getSyslog().getProcId()).isEqualTo("7");
        }
    }

    @Test
    void sendsEmptyNonSyslogAndOversizedDatagramsToTheDeadLetterTopicAndKeepsServing(KafkaBroker kafka) throws Exception {
        deadLettersBadDatagrams(kafka, Map.of("nocturne.ingest.listeners.syslog-udp.datagrams-per-read", 1), false);
    }

    @Test
    void withSeveralDatagramsPerReadAnOversizedDatagramKeepsItsHead(KafkaBroker kafka) throws Exception {
        deadLettersBadDatagrams(kafka, Map.of(), io.netty.channel.epoll.Epoll.isAvailable());
    }

    /** @param cut whether the listener reads into slots (recvmmsg), so an oversized datagram keeps only its head */
    private void deadLettersBadDatagrams(KafkaBroker kafka, Map<String, Object> extra, boolean cut) throws Exception {
        String topic = KafkaBroker.uniqueTopic("syslog");
        String dead = KafkaBroker.uniqueTopic("dead");
        try (ApplicationContext ctx = startIngest(kafka, topic, dead, "protobuf", extra)) {
            int port = port(ctx);
            byte[] binary = {0x00, 0x0a, 0x00, 0x01, (byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef};
            byte[] huge = new byte[65_507]; // the largest UDP payload over IPv4
            Arrays.fill(huge, (byte) 'x');
            byte[] prefix = "<11>1 - h a - - - ".getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(prefix, 0, huge, 0, prefix.length);

            send(port, new byte[0]);
            send(port, binary);
            send(port, huge);
            send(port, "<14>1 - after-bad-input app - - - still serving".getBytes(StandardCharsets.US_ASCII));

            var letters = kafka.read(dead, DEAD, 3, Duration.ofSeconds(30));
            assertThat(letters).extracting(r -> r.value().getReason()).containsExactlyInAnyOrder(
                    DeadLetter.Reason.REASON_EMPTY, DeadLetter.Reason.REASON_UNRECOGNIZED_FORMAT,
                    DeadLetter.Reason.REASON_OVERSIZED);
            for (var r : letters) {
                DeadLetter d = r.value();
                assertThat(r.key()).isEqualTo("127.0.0.1");
                assertThat(d.getListener()).isEqualTo("syslog-udp");
                assertThat(d.getProtocol()).isEqualTo("syslog");
                assertThat(d.getDetail()).isNotBlank();
                byte[] expected = switch (d.getReason()) {
                    case REASON_EMPTY -> new byte[0];
                    case REASON_UNRECOGNIZED_FORMAT -> binary;
                    // 16 KiB max-message-bytes: a 16,385-byte slot holds the head
                    default -> cut ? Arrays.copyOf(huge, 16 * 1024 + 1) : huge;
                };
                assertThat(d.getRaw().toByteArray()).isEqualTo(expected);
                assertThat(d.getRawLength()).isEqualTo(expected.length);
            }
            var good = kafka.read(topic, EVENTS, 1, Duration.ofSeconds(30));
            assertThat(good).extracting(r -> r.value().getSyslog().getHostname()).containsExactly("after-bad-input");

            String metrics = scrape(ctx);
            assertThat(metrics).contains(
                    "nocturne_ingest_packets_received_total{listener=\"syslog-udp\",protocol=\"syslog\"} 4.0",
                    "nocturne_ingest_decode_failures_total{listener=\"syslog-udp\",protocol=\"syslog\",reason=\"empty\"} 1.0",
                    "nocturne_ingest_decode_failures_total{listener=\"syslog-udp\",protocol=\"syslog\",reason=\"oversized\"} 1.0",
                    "nocturne_ingest_decode_failures_total{listener=\"syslog-udp\",protocol=\"syslog\",reason=\"unrecognized_format\"} 1.0",
                    "nocturne_ingest_events_decoded_total{listener=\"syslog-udp\",protocol=\"syslog\"} 1.0");
            assertThat(metrics).contains("nocturne_ingest_publish_latency_seconds_count");
            // The kernel's own counters for the listener's sockets (Linux), where the kernel
            // lists sockets in /proc/net/udp (some sandboxes show an empty table: then the
            // meters are left out rather than reading 0).
            boolean kernelListsSockets = false;
            for (String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
                kernelListsSockets |= Files.isReadable(Path.of(table)) && Files.readAllLines(Path.of(table)).size() > 1;
            }
            if (kernelListsSockets) {
                assertThat(metrics).containsPattern(
                        "nocturne_ingest_kernel_drops_total\\{listener=\"syslog-udp\",protocol=\"syslog\"} [0-9.]+");
                assertThat(metrics).containsPattern(
                        "nocturne_ingest_kernel_receive_queue_bytes\\{listener=\"syslog-udp\",protocol=\"syslog\"} [0-9.]+");
            } else {
                assertThat(metrics).doesNotContain("nocturne_ingest_kernel_drops_total{");
            }
            assertThat(ctx.getBean(IngestService.class).allListenersUp()).isTrue();
        }
    }

    @Test
    void takesWhatTheRealLoggerClientSends(KafkaBroker kafka) throws Exception {
        Path logger = Path.of("/usr/bin/logger");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(logger), "util-linux logger not installed");
        String topic = KafkaBroker.uniqueTopic("syslog");
        try (ApplicationContext ctx = startIngest(kafka, topic, KafkaBroker.uniqueTopic("dead"), "protobuf")) {
            int port = port(ctx);
            run(logger.toString(), "-n", "127.0.0.1", "-P", Integer.toString(port), "-d", "--rfc5424",
                    "--msgid", "LINK", "--sd-id", "origin@32473", "--sd-param", "ip=\"10.0.0.1\"",
                    "-t", "IOSXE", "-p", "local7.err", "%LINK-3-UPDOWN: Interface Gi0/1, changed state to down");
            run(logger.toString(), "-n", "127.0.0.1", "-P", Integer.toString(port), "-d", "--rfc3164",
                    "-t", "bgpd", "-p", "daemon.warning", "neighbor 192.0.2.1 Down");

            var records = kafka.read(topic, EVENTS, 2, Duration.ofSeconds(30));
            assertThat(records).hasSize(2);
            SyslogMessage rfc5424 = records.stream().map(r -> r.value().getSyslog())
                    .filter(m -> m.getFormat() == SyslogMessage.Format.FORMAT_RFC5424).findFirst().orElseThrow();
            assertThat(rfc5424.getFacility()).isEqualTo(23);
            assertThat(rfc5424.getSeverity()).isEqualTo(3);
            assertThat(rfc5424.getAppName()).isEqualTo("IOSXE");
            assertThat(rfc5424.getMsgId()).isEqualTo("LINK");
            assertThat(rfc5424.getMessage()).isEqualTo("%LINK-3-UPDOWN: Interface Gi0/1, changed state to down");
            assertThat(rfc5424.getStructuredDataList()).anySatisfy(sd -> {
                assertThat(sd.getId()).isEqualTo("origin@32473");
                assertThat(sd.getParamsList()).anySatisfy(p -> {
                    assertThat(p.getName()).isEqualTo("ip");
                    assertThat(p.getValue()).isEqualTo("10.0.0.1");
                });
            });
            assertThat(rfc5424.hasTimestampUnixNanos()).isTrue();
            assertThat(rfc5424.getParseStatus()).isEqualTo(SyslogMessage.ParseStatus.PARSE_STATUS_OK);
            assertThat(rfc5424.getDialect()).isEqualTo(SyslogMessage.Dialect.DIALECT_CISCO_IOS);
            assertThat(rfc5424.getVendor().getMnemonic()).isEqualTo("UPDOWN");
            assertThat(rfc5424.getInterfacesList()).containsExactly("Gi0/1");
            assertThat(rfc5424.getTimestampFractionDigits()).isEqualTo(6); // logger writes microseconds
            assertThat(rfc5424.getTimestampZoneSource()).isEqualTo(SyslogMessage.ZoneSource.ZONE_SOURCE_OFFSET);

            SyslogMessage rfc3164 = records.stream().map(r -> r.value().getSyslog())
                    .filter(m -> m.getFormat() == SyslogMessage.Format.FORMAT_RFC3164).findFirst().orElseThrow();
            assertThat(rfc3164.getFacility()).isEqualTo(3);
            assertThat(rfc3164.getSeverity()).isEqualTo(4);
            assertThat(rfc3164.getAppName()).isEqualTo("bgpd");
            assertThat(rfc3164.getMessage()).isEqualTo("neighbor 192.0.2.1 Down");
            assertThat(rfc3164.getParseStatus()).isEqualTo(SyslogMessage.ParseStatus.PARSE_STATUS_OK);
            assertThat(rfc3164.getDialect()).isEqualTo(SyslogMessage.Dialect.DIALECT_GENERIC);
            assertThat(rfc3164.getTimestampYearInferred()).isTrue();
            assertThat(rfc3164.getTimestampZoneSource()).isEqualTo(SyslogMessage.ZoneSource.ZONE_SOURCE_LISTENER);
            assertThat(rfc3164.getInterfacesList()).isEmpty();
        }
    }

    @Test
    void takesTcpFromLoggerInBothFramingsAndKeepsTheConnectionAfterAnOversizedFrame(KafkaBroker kafka) throws Exception {
        Path logger = Path.of("/usr/bin/logger");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(logger), "util-linux logger not installed");
        String topic = KafkaBroker.uniqueTopic("syslog");
        String dead = KafkaBroker.uniqueTopic("dead");
        try (ApplicationContext ctx = startIngest(kafka, topic, dead, "protobuf",
                Map.of("nocturne.ingest.listeners.syslog-tcp.max-message-bytes", 2048))) {
            int port = tcpPort(ctx);
            run(logger.toString(), "-n", "127.0.0.1", "-P", Integer.toString(port), "-T", "--octet-count", "--rfc5424",
                    "-t", "ospfd", "-p", "daemon.err", "octet counted over tcp");
            run(logger.toString(), "-n", "127.0.0.1", "-P", Integer.toString(port), "-T", "--rfc3164",
                    "-t", "bgpd", "-p", "daemon.notice", "lf framed over tcp");
            // One connection: a good frame, an oversized one, another good one.
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                String first = "<14>1 - tcp-host app - - - before";
                String big = "<14>1 - tcp-host app - - - " + "z".repeat(5000);
                String last = "<14>1 - tcp-host app - - - after";
                s.getOutputStream().write((first.length() + " " + first + big.length() + " " + big + last.length() + " " + last)
                        .getBytes(StandardCharsets.US_ASCII));
            }
            var records = kafka.read(topic, EVENTS, 4, Duration.ofSeconds(30));
            assertThat(records).extracting(r -> r.value().getSyslog().getMessage()).containsExactlyInAnyOrder(
                    "octet counted over tcp", "lf framed over tcp", "before", "after");
            assertThat(records).allSatisfy(r -> assertThat(r.value().getTransport())
                    .isEqualTo(io.nocturne.telemetry.v1.Transport.TRANSPORT_TCP));
            var letters = kafka.read(dead, DEAD, 1, Duration.ofSeconds(30));
            assertThat(letters).singleElement().satisfies(r -> {
                assertThat(r.value().getReason()).isEqualTo(DeadLetter.Reason.REASON_OVERSIZED);
                assertThat(r.value().getRawLength()).isEqualTo(5027);
                assertThat(r.value().getRaw().size()).isEqualTo(2048);
            });
            assertThat(scrape(ctx)).contains("nocturne_ingest_connections_total{listener=\"syslog-tcp\",protocol=\"syslog\"} 3.0");
        }
    }

    @Test
    void pausesReadingWhileKafkaIsBehindAndLosesNothingOverTcp(KafkaBroker kafka) throws Exception {
        String topic = KafkaBroker.uniqueTopic("syslog");
        // One record in flight at most: every frame makes the connection pause until it is acked.
        try (ApplicationContext ctx = startIngest(kafka, topic, KafkaBroker.uniqueTopic("dead"), "protobuf",
                Map.of("nocturne.kafka.max-in-flight-records", 1))) {
            int port = tcpPort(ctx);
            int n = 2_000;
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                java.io.OutputStream out = new java.io.BufferedOutputStream(s.getOutputStream());
                for (int i = 0; i < n; i++) {
                    out.write(("<14>1 - bp-host app - - - message " + i + "\n").getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
            }
            var records = kafka.read(topic, EVENTS, n, Duration.ofSeconds(60));
            assertThat(records).hasSize(n);
            assertThat(records.stream().map(r -> r.value().getSyslog().getMessage()).distinct().count()).isEqualTo(n);
            String metrics = scrape(ctx);
            assertThat(metrics).contains("nocturne_ingest_events_published_total{topic=\"" + topic + "\"} 2000.0");
            java.util.regex.Matcher pauses = java.util.regex.Pattern.compile(
                    "nocturne_ingest_backpressure_pauses_total\\{listener=\"syslog-tcp\",protocol=\"syslog\"} ([0-9.]+)")
                    .matcher(metrics);
            assertThat(pauses.find()).isTrue();
            assertThat(Double.parseDouble(pauses.group(1))).isGreaterThan(0);
        }
    }

    @Test
    void acceptsOnlyAllowedSourcesAndCountsTheRest(KafkaBroker kafka) throws Exception {
        String topic = KafkaBroker.uniqueTopic("syslog");
        try (ApplicationContext ctx = startIngest(kafka, topic, KafkaBroker.uniqueTopic("dead"), "protobuf", Map.of(
                "nocturne.ingest.listeners.syslog-udp.bind-address", "0.0.0.0",
                "nocturne.ingest.listeners.syslog-udp.allowed-sources", java.util.List.of("127.0.9.0/24"),
                "nocturne.ingest.listeners.syslog-tcp.allowed-sources", java.util.List.of("127.0.9.0/24")))) {
            byte[] stranger = "<11>1 - stranger app - - - not allowed".getBytes(StandardCharsets.US_ASCII);
            byte[] friend = "<11>1 - friend app - - - allowed".getBytes(StandardCharsets.US_ASCII);
            try (DatagramSocket from127001 = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                 DatagramSocket from127095 = new DatagramSocket(new InetSocketAddress("127.0.9.5", 0))) {
                from127001.send(new DatagramPacket(stranger, stranger.length, InetAddress.getLoopbackAddress(), port(ctx)));
                from127095.send(new DatagramPacket(friend, friend.length, InetAddress.getLoopbackAddress(), port(ctx)));
            }
            // A TCP stranger is disconnected on accept: its message never arrives.
            try (java.net.Socket s = new java.net.Socket()) {
                s.bind(new InetSocketAddress("127.0.0.1", 0));
                s.connect(new InetSocketAddress("127.0.0.1", tcpPort(ctx)));
                s.getOutputStream().write("<11>1 - tcp-stranger app - - - no\n".getBytes(StandardCharsets.US_ASCII));
            }
            // Wait for a second record that must not come: only the friend's arrives.
            var records = kafka.read(topic, EVENTS, 2, Duration.ofSeconds(5));
            assertThat(records).extracting(r -> r.value().getSyslog().getHostname()).containsExactly("friend");
            String metrics = scrape(ctx);
            assertThat(metrics).contains(
                    "nocturne_ingest_source_rejected_total{listener=\"syslog-udp\",protocol=\"syslog\"} 1.0",
                    "nocturne_ingest_source_rejected_total{listener=\"syslog-tcp\",protocol=\"syslog\"} 1.0",
                    "nocturne_ingest_packets_received_total{listener=\"syslog-udp\",protocol=\"syslog\"} 1.0");
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
    }

    private static String scrape(ApplicationContext ctx) {
        EmbeddedServer server = ctx.getBean(EmbeddedServer.class);
        try (HttpClient client = HttpClient.create(server.getURL())) {
            return client.toBlocking().retrieve("/prometheus");
        }
    }
}
