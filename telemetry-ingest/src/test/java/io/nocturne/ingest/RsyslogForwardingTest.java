package io.nocturne.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.nocturne.common.kafka.ProtobufSerde;
import io.nocturne.telemetry.v1.SyslogMessage;
import io.nocturne.telemetry.v1.TelemetryEvent;
import io.nocturne.telemetry.v1.Transport;
import io.nocturne.testkit.EmbeddedKafkaExtension;
import io.nocturne.testkit.KafkaBroker;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * rsyslog, the relay most networks already run, forwarding to ingest over UDP, TCP
 * (octet-counted) and TLS (gtls): the same message must arrive three times, decoded alike.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class RsyslogForwardingTest {

    private static final ProtobufSerde<TelemetryEvent> EVENTS = ProtobufSerde.protobuf(TelemetryEvent.getDefaultInstance());

    private static void exec(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    private static int freeUdpPort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void rsyslogForwardsOverUdpTcpAndTlsAndEveryCopyDecodesTheSame(KafkaBroker kafka, @TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/rsyslogd")),
                "rsyslog not installed (.ci/run installs it)");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl not installed");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/logger")), "logger not installed");
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so")), "rsyslog-gnutls not installed");
        exec(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.pem",
                "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1");

        String topic = KafkaBroker.uniqueTopic("syslog");
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("micronaut.server.port", -1);
        cfg.put("nocturne.kafka.bootstrap-servers", kafka.bootstrapServers());
        cfg.put("nocturne.topics.syslog.name", topic);
        cfg.put("nocturne.topics.deadletter.name", KafkaBroker.uniqueTopic("dead"));
        for (String l : new String[] {"syslog-udp", "syslog-tcp", "syslog-tls"}) {
            cfg.put("nocturne.ingest.listeners." + l + ".bind-address", "127.0.0.1");
            cfg.put("nocturne.ingest.listeners." + l + ".port", 0);
        }
        cfg.put("nocturne.ingest.listeners.syslog-tls.enabled", true);
        cfg.put("nocturne.ingest.listeners.syslog-tls.tls-cert-file", dir.resolve("server.pem").toString());
        cfg.put("nocturne.ingest.listeners.syslog-tls.tls-key-file", dir.resolve("server.key").toString());
        try (ApplicationContext ctx = ApplicationContext.run(EmbeddedServer.class, cfg).getApplicationContext()) {
            IngestService ingest = ctx.getBean(IngestService.class);
            await().atMost(Duration.ofSeconds(60)).until(ingest::allListenersUp);
            var ports = ingest.boundListeners();
            int relayPort = freeUdpPort();
            Files.createDirectories(dir.resolve("work"));
            String conf = """
                    global(workDirectory="%s" defaultNetstreamDriverCAFile="%s")
                    module(load="imudp")
                    input(type="imudp" address="127.0.0.1" port="%d")
                    action(type="omfwd" target="127.0.0.1" port="%d" protocol="udp" template="RSYSLOG_SyslogProtocol23Format")
                    action(type="omfwd" target="127.0.0.1" port="%d" protocol="tcp" TCP_Framing="octet-counted"
                           template="RSYSLOG_SyslogProtocol23Format")
                    action(type="omfwd" target="127.0.0.1" port="%d" protocol="tcp" TCP_Framing="octet-counted"
                           StreamDriver="gtls" StreamDriverMode="1" StreamDriverAuthMode="anon"
                           template="RSYSLOG_SyslogProtocol23Format")
                    """.formatted(dir.resolve("work"), dir.resolve("server.pem"), relayPort,
                    ports.get("syslog-udp").getPort(), ports.get("syslog-tcp").getPort(), ports.get("syslog-tls").getPort());
            Files.writeString(dir.resolve("rsyslog.conf"), conf);
            Process rsyslog = new ProcessBuilder("/usr/sbin/rsyslogd", "-n", "-f", dir.resolve("rsyslog.conf").toString(),
                    "-i", dir.resolve("rsyslog.pid").toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("rsyslog.out").toFile()).start();
            try {
                // Keep sending until rsyslog is up and its three forwards have connected.
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    exec(dir, "/usr/bin/logger", "-n", "127.0.0.1", "-P", Integer.toString(relayPort), "-d", "--rfc5424",
                            "-t", "relay-test", "-p", "local7.err", "%LINK-3-UPDOWN: Interface Gi0/9, changed state to down");
                    return kafka.read(topic, EVENTS, 3, Duration.ofMillis(300),
                            r -> r.value().getTransport() == Transport.TRANSPORT_TLS).size() > 0;
                });
                var records = kafka.read(topic, EVENTS, 1_000, Duration.ofSeconds(3));
                for (Transport t : new Transport[] {Transport.TRANSPORT_UDP, Transport.TRANSPORT_TCP, Transport.TRANSPORT_TLS}) {
                    assertThat(records).as(Files.readString(dir.resolve("rsyslog.out")))
                            .anySatisfy(r -> {
                                assertThat(r.value().getTransport()).isEqualTo(t);
                                SyslogMessage m = r.value().getSyslog();
                                assertThat(m.getFormat()).isEqualTo(SyslogMessage.Format.FORMAT_RFC5424);
                                assertThat(m.getFacility()).isEqualTo(23);
                                assertThat(m.getSeverity()).isEqualTo(3);
                                assertThat(m.getAppName()).isEqualTo("relay-test");
                                assertThat(m.getMessage()).isEqualTo("%LINK-3-UPDOWN: Interface Gi0/9, changed state to down");
                                assertThat(m.getVendor().getMnemonic()).isEqualTo("UPDOWN");
                                assertThat(m.getParseStatus()).isEqualTo(SyslogMessage.ParseStatus.PARSE_STATUS_OK);
                                assertThat(m.getDialect()).isEqualTo(SyslogMessage.Dialect.DIALECT_CISCO_IOS);
                                assertThat(m.getTimestampZoneSource()).isEqualTo(SyslogMessage.ZoneSource.ZONE_SOURCE_OFFSET);
                            });
                }
            } finally {
                rsyslog.destroy();
                rsyslog.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
