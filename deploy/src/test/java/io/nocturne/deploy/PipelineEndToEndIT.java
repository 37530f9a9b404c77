package io.nocturne.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nocturne.testkit.EmbeddedKafkaExtension;
import io.nocturne.testkit.KafkaBroker;
import io.nocturne.testkit.RecordingHttpServer;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One event end to end, as a user runs it: the launcher starts telemetry-ingest and
 * alert-engine as real processes against a real broker; the util-linux {@code logger} sends
 * real datagrams over a real UDP socket; a local HTTP server receives the webhook.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class PipelineEndToEndIT {

    private static final String RULES = """
            groups:
              - name: e2e
                rules:
                  - name: DeviceErrorBurst
                    source: syslog
                    match: syslog.severity <= 3
                    group_by: [device]
                    window: 1m
                    threshold: 5
                    severity: critical
                    annotations:
                      summary: "{{ $labels.device }} logged {{ $value }} errors in 1m"
            """;

    @Test
    void repeatedErrorsFromLoggerBecomeOneIncidentAndOneWebhookCall(KafkaBroker kafka, @TempDir Path dir) throws Exception {
        Path home = Path.of(System.getProperty("nocturne.home", "..")).toAbsolutePath().normalize();
        Path rules = dir.resolve("rules.yml");
        Files.writeString(rules, RULES);
        int syslogPort = freeUdpPort();
        int ingestPort = freeTcpPort();
        int alertPort = freeTcpPort();
        try (RecordingHttpServer webhook = new RecordingHttpServer()) {
            LauncherOptions options = LauncherOptions.parse(home, List.of(
                    "--bootstrap-servers", kafka.bootstrapServers(),
                    "--data-dir", dir.resolve("data").toString(),
                    "--rules", rules.toString(),
                    "--webhook-url", webhook.url("/nocturne"),
                    "--syslog-port", Integer.toString(syslogPort),
                    "--ingest-http-port", Integer.toString(ingestPort),
                    "--alert-http-port", Integer.toString(alertPort)), Map.of());
            try (NocturneLauncher launcher = new NocturneLauncher(options)) {
                launcher.start();
                assertThat(launcher.banner()).contains("udp/" + syslogPort, "http://127.0.0.1:" + alertPort + "/api/v1/incidents");

                for (int i = 0; i < 7; i++) {
                    sendWithLogger(syslogPort, "%LINK-3-UPDOWN: Interface Gi0/" + i + ", changed state to down");
                }

                await().atMost(Duration.ofSeconds(60)).until(() -> !webhook.requests().isEmpty());
                RecordingHttpServer.Request post = webhook.requests().get(0);
                assertThat(post.path()).isEqualTo("/nocturne");
                // logger puts this machine's hostname in HOSTNAME; the device label comes from it.
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"device\":\"([^\"]+)\"").matcher(post.body());
                assertThat(m.find()).as(post.body()).isTrue();
                String device = m.group(1);
                assertThat(post.body())
                        .contains("\"version\":\"4\"", "\"status\":\"firing\"", "\"alertname\":\"DeviceErrorBurst\"",
                                "\"severity\":\"critical\"", "\"summary\":\"" + device + " logged 5 errors in 1m\"");

                HttpClient http = HttpClient.newHttpClient();
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    String incidents = http.send(HttpRequest.newBuilder(URI.create(
                            "http://127.0.0.1:" + alertPort + "/api/v1/incidents")).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                    assertThat(incidents.split("\"fingerprint\"", -1)).hasSize(2); // exactly one incident
                    assertThat(incidents).contains("\"status\":\"INCIDENT_STATUS_OPEN\"", "\"device\":\"" + device + "\"");
                });
                String ingestMetrics = http.send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + ingestPort + "/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
                assertThat(ingestMetrics).contains(
                        "nocturne_ingest_packets_received_total{listener=\"syslog-udp\",protocol=\"syslog\"} 7.0");
                // Still one call: later errors update the incident, they do not page again.
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                        .until(() -> webhook.requests().size() == 1);
            }
        }
    }

    @Test
    void theHarnessMeasuresSendToIncidentAndWebhookOnTheLaunchedPipeline(@TempDir Path dir) throws Exception {
        // A broker of its own: the launcher uses the default topic names and application id.
        try (io.nocturne.kafka.embedded.EmbeddedKafkaBroker own = io.nocturne.kafka.embedded.EmbeddedKafkaBroker.startTemporary()) {
            measureIncidentLatency(new KafkaBroker(own.bootstrapServers()), dir);
        }
    }

    private static void measureIncidentLatency(KafkaBroker kafka, Path dir) throws Exception {
        Path home = Path.of(System.getProperty("nocturne.home", "..")).toAbsolutePath().normalize();
        int syslogPort = freeUdpPort();
        int alertPort = freeTcpPort();
        int hookPort = freeTcpPort();
        LauncherOptions options = LauncherOptions.parse(home, List.of(
                "--bootstrap-servers", kafka.bootstrapServers(),
                "--data-dir", dir.resolve("data").toString(),
                "--webhook-url", "http://127.0.0.1:" + hookPort + "/",
                "--syslog-port", Integer.toString(syslogPort),
                "--ingest-http-port", Integer.toString(freeTcpPort()),
                "--alert-http-port", Integer.toString(alertPort)), Map.of());
        try (NocturneLauncher launcher = new NocturneLauncher(options)) {
            launcher.start();
            // The shipped rule file: DeviceErrorBurst, 5 errors per device per minute.
            io.nocturne.bench.harness.IncidentLatency.Result r = io.nocturne.bench.harness.IncidentLatency.run(
                    new io.nocturne.bench.harness.IncidentLatency.Options(
                            new java.net.InetSocketAddress("127.0.0.1", syslogPort),
                            URI.create("http://127.0.0.1:" + alertPort),
                            new java.net.InetSocketAddress("127.0.0.1", hookPort), 3, 5, Duration.ofSeconds(60)));
            assertThat(r.complete()).as(r.table()).isTrue();
            assertThat(r.sendToIncident().getTotalCount()).isEqualTo(3);
            assertThat(r.sendToWebhook().getTotalCount()).isEqualTo(3);
        }
    }

    private static void sendWithLogger(int port, String message) throws IOException, InterruptedException {
        Path logger = Path.of("/usr/bin/logger");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(logger),
                "util-linux logger is needed (apt-get install bsdutils)");
        Process p = new ProcessBuilder(logger.toString(), "-n", "127.0.0.1", "-P", Integer.toString(port), "-d",
                "-p", "local7.err", message).redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }
}
