package io.nocturne.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.nocturne.common.kafka.ProtobufSerde;
import io.nocturne.telemetry.v1.SyslogMessage;
import io.nocturne.telemetry.v1.TelemetryEvent;
import io.nocturne.telemetry.v1.Transport;
import io.nocturne.testkit.EmbeddedKafkaExtension;
import io.nocturne.testkit.KafkaBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Syslog over TLS (RFC 5425) with mutual authentication, from a real relay: rsyslog's omfwd
 * with the gtls (GnuTLS) driver in {@code x509/name} mode, presenting a client certificate,
 * to ingest's TLS listener with {@code tls-client-auth: require}. A relay whose certificate
 * comes from a foreign CA (same CA name, different key: only the signature tells them apart)
 * must get nothing through, and the refused handshake must be counted. Run once per TLS
 * version, because TLS 1.3 rejects a client certificate only after the client has finished
 * its side of the handshake (RFC 8446 §4.4.2.4), TLS 1.2 within it.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class RsyslogMutualTlsTest {

    private static final ProtobufSerde<TelemetryEvent> EVENTS = ProtobufSerde.protobuf(TelemetryEvent.getDefaultInstance());
    private static final Path RSYSLOGD = Path.of("/usr/sbin/rsyslogd");
    private static final Path GTLS_DRIVER = Path.of("/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so");
    private static final Path LOGGER = Path.of("/usr/bin/logger");
    /** The name in the server certificate, which rsyslog's x509/name mode checks. */
    private static final String SERVER_NAME = "ingest.nocturne.test";
    private static final String TRUSTED_HOST = "edge-rtr-7";
    private static final String ROGUE_HOST = "rogue-rtr-9";
    private static final String TEXT = "%LINK-3-UPDOWN: Interface Gi0/9, changed state to down";
    private static final Duration DELIVERY = Duration.ofSeconds(30);

    @TempDir
    static Path pki;

    private static String run(Path dir, Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s did not finish", cmd[0]).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", cmd), out).isZero();
        return out;
    }

    private static void openssl(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "openssl";
        System.arraycopy(args, 0, cmd, 1, args.length);
        run(pki, Map.of(), cmd);
    }

    /** A key and a certificate for {@code cn} signed by {@code ca}, with the given X.509v3 extensions. */
    private static void issue(String name, String cn, String ca, String extensions) throws Exception {
        Files.writeString(pki.resolve(name + ".ext"), extensions);
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + cn);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key", "-CAcreateserial",
                "-out", name + ".pem", "-days", "2", "-extfile", name + ".ext");
    }

    /** Why the test cannot run here, or null; checked per test so each run is reported skipped with the reason. */
    private static String missing;

    @BeforeAll
    static void makeCertificates() throws Exception {
        missing = !Files.isExecutable(RSYSLOGD) ? "rsyslog not installed (.ci/run installs it)"
                : !Files.exists(GTLS_DRIVER) ? "rsyslog-gnutls (" + GTLS_DRIVER + ") not installed (.ci/run installs it)"
                : !Files.isExecutable(Path.of("/usr/bin/openssl")) ? "openssl not installed"
                : !Files.isExecutable(LOGGER) ? "logger not installed"
                : null;
        if (missing != null) {
            return;
        }
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
                "-subj", "/CN=nocturne-test-ca");
        issue("server", SERVER_NAME, "ca", "subjectAltName=DNS:" + SERVER_NAME + "\nextendedKeyUsage=serverAuth\n");
        issue("client", TRUSTED_HOST, "ca", "extendedKeyUsage=clientAuth\n");
        // The impostor: a CA with the very same name but its own key, and a client
        // certificate from it for the same device name.
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "rogue-ca.key", "-out", "rogue-ca.pem",
                "-days", "2", "-subj", "/CN=nocturne-test-ca");
        issue("rogue", TRUSTED_HOST, "rogue-ca", "extendedKeyUsage=clientAuth\n");
    }

    /** A private rsyslogd relaying what arrives on its own imuxsock socket to ingest over TLS. */
    private static final class Relay implements AutoCloseable {
        final Path dir;
        final Path socket;
        final Process process;

        Relay(Path base, String name, String hostname, String certificate, int port, String gnutlsPriority) throws Exception {
            dir = Files.createDirectories(base.resolve(name));
            Files.createDirectories(dir.resolve("work"));
            // imuxsock sockets are AF_UNIX: their path must fit in sun_path (108 bytes).
            Path socketDir = dir.toString().length() < 90 ? dir : Files.createTempDirectory(Path.of("/tmp"), "nocturne-rsyslog-");
            socket = socketDir.resolve("log.sock");
            String conf = """
                    global(workDirectory="%s"
                           defaultNetstreamDriverCAFile="%s"
                           defaultNetstreamDriverCertFile="%s"
                           defaultNetstreamDriverKeyFile="%s")
                    module(load="imuxsock" SysSock.Use="off")
                    module(load="mmrm1stspace")
                    input(type="imuxsock" Socket="%s" HostName="%s" Ruleset="relay")
                    ruleset(name="relay") {
                        # RFC 3164 input keeps the space after "TAG:" in msg; RFC 5424 output would carry it.
                        action(type="mmrm1stspace")
                        action(type="omfwd" target="127.0.0.1" port="%d" protocol="tcp" TCP_Framing="octet-counted"
                               StreamDriver="gtls" StreamDriverMode="1" StreamDriverAuthMode="x509/name"
                               StreamDriverPermittedPeers="%s" gnutlsPriorityString="%s"
                               action.resumeRetryCount="-1" template="RSYSLOG_SyslogProtocol23Format")
                    }
                    """.formatted(dir.resolve("work"), pki.resolve("ca.pem"), pki.resolve(certificate + ".pem"),
                    pki.resolve(certificate + ".key"), socket, hostname, port, SERVER_NAME, gnutlsPriority);
            Files.writeString(dir.resolve("rsyslog.conf"), conf);
            ProcessBuilder pb = new ProcessBuilder(RSYSLOGD.toString(), "-n", "-f", dir.resolve("rsyslog.conf").toString(),
                    "-i", dir.resolve("rsyslog.pid").toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("rsyslog.out").toFile());
            pb.environment().put("TZ", "UTC");
            process = pb.start();
            try {
                long deadline = System.nanoTime() + DELIVERY.toNanos();
                while (!Files.exists(socket)) {
                    assertThat(process.isAlive()).as("rsyslogd exited: %s", output()).isTrue();
                    assertThat(System.nanoTime() < deadline).as("rsyslogd did not create %s within %s: %s", socket,
                            DELIVERY, output()).isTrue();
                    Thread.sleep(50);
                }
            } catch (Throwable t) {
                close();
                throw t;
            }
        }

        /** Hands one message to rsyslog, as a local program would. */
        void log(String priority, String tag, String procId, String text) throws Exception {
            run(dir, Map.of(), LOGGER.toString(), "-u", socket.toString(), "--socket-errors=on", "--id=" + procId,
                    "-t", tag, "-p", priority, text);
        }

        String output() {
            try {
                return "rsyslogd output (" + dir + "):\n" + Files.readString(dir.resolve("rsyslog.out"));
            } catch (IOException e) {
                return "rsyslogd output unreadable: " + e;
            }
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            if (!socket.getParent().equals(dir)) {
                Files.deleteIfExists(socket);
                Files.deleteIfExists(socket.getParent());
            }
        }
    }

    private static double counter(MeterRegistry registry, String name) {
        // A Counter or a FunctionCounter (hot-path counters are read at scrape time).
        var m = registry.find(name).tag("listener", "syslog-tls").tag("protocol", "syslog").meter();
        assertThat(m).as("meter %s{listener=syslog-tls}", name).isNotNull();
        return m.measure().iterator().next().getValue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLS1.3", "TLS1.2"})
    void rsyslogWithACaSignedCertificateGetsThroughAndOneFromAForeignCaDoesNot(String tlsVersion, KafkaBroker kafka,
                                                                              @TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(missing == null, missing);
        String gnutlsPriority = "NORMAL:-VERS-ALL:+VERS-" + tlsVersion;
        String topic = KafkaBroker.uniqueTopic("syslog");
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("micronaut.server.port", -1);
        cfg.put("nocturne.kafka.bootstrap-servers", kafka.bootstrapServers());
        cfg.put("nocturne.topics.syslog.name", topic);
        cfg.put("nocturne.topics.deadletter.name", KafkaBroker.uniqueTopic("dead"));
        cfg.put("nocturne.ingest.listeners.syslog-udp.enabled", false);
        cfg.put("nocturne.ingest.listeners.syslog-tcp.enabled", false);
        cfg.put("nocturne.ingest.listeners.syslog-tls.enabled", true);
        cfg.put("nocturne.ingest.listeners.syslog-tls.bind-address", "127.0.0.1");
        cfg.put("nocturne.ingest.listeners.syslog-tls.port", 0);
        cfg.put("nocturne.ingest.listeners.syslog-tls.tls-cert-file", pki.resolve("server.pem").toString());
        cfg.put("nocturne.ingest.listeners.syslog-tls.tls-key-file", pki.resolve("server.key").toString());
        cfg.put("nocturne.ingest.listeners.syslog-tls.tls-ca-file", pki.resolve("ca.pem").toString());
        cfg.put("nocturne.ingest.listeners.syslog-tls.tls-client-auth", "require");
        try (ApplicationContext ctx = ApplicationContext.run(EmbeddedServer.class, cfg).getApplicationContext()) {
            IngestService ingest = ctx.getBean(IngestService.class);
            await().atMost(Duration.ofSeconds(60)).until(ingest::allListenersUp);
            int port = ingest.boundListeners().get("syslog-tls").getPort();
            MeterRegistry registry = ctx.getBean(MeterRegistry.class);
            Instant sent = Instant.now().truncatedTo(ChronoUnit.SECONDS);

            try (Relay trusted = new Relay(dir, "trusted", TRUSTED_HOST, "client", port, gnutlsPriority)) {
                // 1. The relay with a certificate from the configured CA: exactly one event, every field as sent.
                trusted.log("local7.err", "IOSXE", "4242", TEXT);
                var delivered = kafka.read(topic, EVENTS, 1, DELIVERY,
                        r -> r.value().getSyslog().getHostname().equals(TRUSTED_HOST));
                assertThat(delivered).as("what the trusted relay delivered within %s; %s", DELIVERY, trusted.output())
                        .singleElement().satisfies(r -> {
                            TelemetryEvent e = r.value();
                            assertThat(e.getListener()).isEqualTo("syslog-tls");
                            assertThat(e.getTransport()).isEqualTo(Transport.TRANSPORT_TLS);
                            assertThat(e.getExporter().getAddress()).isEqualTo("127.0.0.1");
                            assertThat(e.getListenerEndpoint().getPort()).isEqualTo(port);
                            SyslogMessage m = e.getSyslog();
                            assertThat(m.getFormat()).isEqualTo(SyslogMessage.Format.FORMAT_RFC5424);
                            assertThat(m.getVersion()).isEqualTo(1);
                            assertThat(m.hasFacility()).isTrue();
                            assertThat(m.getFacility()).isEqualTo(23); // local7
                            assertThat(m.getSeverity()).isEqualTo(3); // err
                            assertThat(m.getHostname()).isEqualTo(TRUSTED_HOST);
                            assertThat(m.getAppName()).isEqualTo("IOSXE");
                            assertThat(m.getProcId()).isEqualTo("4242");
                            assertThat(m.getMsgId()).isEmpty();
                            assertThat(m.getStructuredDataList()).isEmpty();
                            assertThat(m.getMessage()).isEqualTo(TEXT);
                            assertThat(m.getVendor().getVendor()).isEqualTo("cisco");
                            assertThat(m.getVendor().getFacility()).isEqualTo("LINK");
                            assertThat(m.getVendor().getSeverity()).isEqualTo(3);
                            assertThat(m.getVendor().getMnemonic()).isEqualTo("UPDOWN");
                            assertThat(m.getParseStatus()).isEqualTo(SyslogMessage.ParseStatus.PARSE_STATUS_OK);
                            assertThat(m.getDialect()).isEqualTo(SyslogMessage.Dialect.DIALECT_CISCO_IOS);
                            assertThat(m.getTimestampZoneSource()).isEqualTo(SyslogMessage.ZoneSource.ZONE_SOURCE_OFFSET);
                            // rsyslog stamps the message when it takes it in: microseconds, UTC (TZ=UTC).
                            assertThat(m.hasTimestampUtcOffsetSeconds()).isTrue();
                            assertThat(m.getTimestampUtcOffsetSeconds()).isZero();
                            assertThat(m.getTimestampUnixNanos() % 1_000).isZero();
                            // The octet count rsyslog framed: PRI, VERSION, a timestamp as long as this
                            // stand-in, the header, MSG and the template's closing LF.
                            String frame = "<187>1 2026-01-01T00:00:00.000000+00:00 " + TRUSTED_HOST + " IOSXE 4242 - - "
                                    + TEXT + "\n";
                            assertThat(m.getLength()).isEqualTo(frame.length());
                            assertThat(Instant.EPOCH.plusNanos(m.getTimestampUnixNanos()))
                                    .isBetween(sent, Instant.ofEpochSecond(0, e.getReceiveTimeUnixNanos()));
                        });
                assertThat(counter(registry, "nocturne.ingest.tls.handshake.failures"))
                        .as("handshake failures before the impostor").isZero();

                // 2. The impostor: refused in the handshake, counted, and nothing of it on Kafka.
                try (Relay rogue = new Relay(dir, "rogue", ROGUE_HOST, "rogue", port, gnutlsPriority)) {
                    rogue.log("local7.err", "IOSXE", "666", TEXT);
                    long deadline = System.nanoTime() + DELIVERY.toNanos();
                    while (counter(registry, "nocturne.ingest.tls.handshake.failures") < 1) {
                        assertThat(System.nanoTime() < deadline)
                                .as("no TLS handshake failure counted within %s; %s", DELIVERY, rogue.output()).isTrue();
                        Thread.sleep(100);
                    }
                    // The trusted relay is unaffected: a second message still gets through.
                    trusted.log("local7.err", "IOSXE", "4242", TEXT);
                    assertThat(kafka.read(topic, EVENTS, 2, DELIVERY,
                            r -> r.value().getSyslog().getHostname().equals(TRUSTED_HOST)))
                            .as("second message from the trusted relay; %s", trusted.output()).hasSize(2);
                    // Bounded look for anything else: the whole topic over a few seconds.
                    var everything = kafka.read(topic, EVENTS, Integer.MAX_VALUE, Duration.ofSeconds(3));
                    assertThat(everything).as(rogue.output())
                            .extracting(r -> r.value().getSyslog().getHostname())
                            .containsExactly(TRUSTED_HOST, TRUSTED_HOST);
                    assertThat(counter(registry, "nocturne.ingest.packets.received"))
                            .as("frames read by the TLS listener: only the trusted relay's").isEqualTo(2.0);
                }
            }
        }
    }
}
