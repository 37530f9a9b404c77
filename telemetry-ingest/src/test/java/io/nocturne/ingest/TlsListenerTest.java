package io.nocturne.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micronaut.context.ApplicationContext;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import io.nocturne.common.kafka.ProtobufSerde;
import io.nocturne.telemetry.v1.TelemetryEvent;
import io.nocturne.telemetry.v1.Transport;
import io.nocturne.testkit.EmbeddedKafkaExtension;
import io.nocturne.testkit.KafkaBroker;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Syslog over TLS (RFC 5425) with certificates made by openssl: server auth, mutual TLS, reload. */
@ExtendWith(EmbeddedKafkaExtension.class)
class TlsListenerTest {

    private static final ProtobufSerde<TelemetryEvent> EVENTS = ProtobufSerde.protobuf(TelemetryEvent.getDefaultInstance());

    @TempDir
    static Path pki;

    private static void openssl(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "openssl";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).directory(pki.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    private static void issue(String name, String cn) throws Exception {
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + cn);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", name + ".pem", "-days", "2");
    }

    @BeforeAll
    static void makeCertificates() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl not installed");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
                "-subj", "/CN=nocturne-test-ca");
        issue("server", "ingest-1");
        issue("server2", "ingest-2");
        issue("client", "router-1");
        openssl("pkcs12", "-export", "-in", "client.pem", "-inkey", "client.key", "-out", "client.p12",
                "-passout", "pass:changeit");
    }

    private static ApplicationContext start(KafkaBroker kafka, String topic, String clientAuth) throws Exception {
        Path cert = pki.resolve("live-" + clientAuth + ".pem");
        Path key = pki.resolve("live-" + clientAuth + ".key");
        Files.copy(pki.resolve("server.pem"), cert, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(pki.resolve("server.key"), key, StandardCopyOption.REPLACE_EXISTING);
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
        cfg.put("nocturne.ingest.listeners.syslog-tls.tls-cert-file", cert.toString());
        cfg.put("nocturne.ingest.listeners.syslog-tls.tls-key-file", key.toString());
        cfg.put("nocturne.ingest.listeners.syslog-tls.tls-ca-file", pki.resolve("ca.pem").toString());
        cfg.put("nocturne.ingest.listeners.syslog-tls.tls-client-auth", clientAuth);
        cfg.put("nocturne.ingest.listeners.syslog-tls.tls-reload-interval", "200ms");
        ApplicationContext ctx = ApplicationContext.run(EmbeddedServer.class, cfg).getApplicationContext();
        await().atMost(Duration.ofSeconds(60)).until(() -> ctx.getBean(IngestService.class).allListenersUp());
        return ctx;
    }

    private static SSLContext clientContext(boolean withCertificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pki.resolve("ca.pem"))) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (withCertificate) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(pki.resolve("client.p12"))) {
                keys.load(in, "changeit".toCharArray());
            }
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "changeit".toCharArray());
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    /** Sends one octet-counted message; returns the server certificate's subject. */
    private static String send(SSLContext tls, int port, String message) throws Exception {
        try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.startHandshake();
            byte[] m = message.getBytes(StandardCharsets.UTF_8);
            s.getOutputStream().write((m.length + " ").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(m);
            s.getOutputStream().flush();
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    private static int port(ApplicationContext ctx) {
        return ctx.getBean(IngestService.class).boundListeners().get("syslog-tls").getPort();
    }

    @Test
    void takesSyslogOverTlsAndReloadsARenewedCertificateWithoutARestart(KafkaBroker kafka) throws Exception {
        String topic = KafkaBroker.uniqueTopic("syslog");
        try (ApplicationContext ctx = start(kafka, topic, "none")) {
            assertThat(send(clientContext(false), port(ctx), "<13>1 - tls-host app - - - over tls")).isEqualTo("CN=ingest-1");
            var records = kafka.read(topic, EVENTS, 1, Duration.ofSeconds(30));
            assertThat(records).singleElement().satisfies(r -> {
                assertThat(r.value().getTransport()).isEqualTo(Transport.TRANSPORT_TLS);
                assertThat(r.value().getSyslog().getMessage()).isEqualTo("over tls");
            });
            // Renewal: new files land on disk; new connections get the new certificate.
            Path cert = pki.resolve("live-none.pem");
            Files.copy(pki.resolve("server2.key"), pki.resolve("live-none.key"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(pki.resolve("server2.pem"), cert, StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(cert, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
            await().atMost(Duration.ofSeconds(20)).until(() -> send(clientContext(false), port(ctx),
                    "<13>1 - tls-host app - - - after reload").equals("CN=ingest-2"));
        }
    }

    @Test
    void requiresAClientCertificateSignedByTheConfiguredCa(KafkaBroker kafka) throws Exception {
        String topic = KafkaBroker.uniqueTopic("syslog");
        try (ApplicationContext ctx = start(kafka, topic, "require");
             HttpClient http = HttpClient.create(ctx.getBean(EmbeddedServer.class).getURL())) {
            int port = port(ctx);
            try {
                send(clientContext(false), port, "<13>1 - anonymous app - - - no certificate");
                // TLS 1.3 reports the server's rejection on the first read/close, not in the handshake.
            } catch (java.io.IOException expected) {
                // the server refused the handshake
            }
            send(clientContext(true), port, "<13>1 - router-1 app - - - with certificate");
            var records = kafka.read(topic, EVENTS, 2, Duration.ofSeconds(10));
            assertThat(records).extracting(r -> r.value().getSyslog().getHostname()).containsExactly("router-1");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(http.toBlocking().retrieve("/prometheus"))
                    .contains("nocturne_ingest_tls_handshake_failures_total{listener=\"syslog-tls\",protocol=\"syslog\"} 1.0"));
        }
    }
}
