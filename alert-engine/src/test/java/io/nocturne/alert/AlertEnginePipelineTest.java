package io.nocturne.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micronaut.context.ApplicationContext;
import io.micronaut.http.client.HttpClient;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.nocturne.common.kafka.ProtobufSerde;
import io.nocturne.telemetry.v1.Endpoint;
import io.nocturne.telemetry.v1.DeviceIdentity;
import io.nocturne.telemetry.v1.SyslogMessage;
import io.nocturne.telemetry.v1.TelemetryEvent;
import io.nocturne.testkit.EmbeddedKafkaExtension;
import io.nocturne.testkit.KafkaBroker;
import io.nocturne.testkit.RecordingHttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The alert engine as it runs: rule file, Kafka Streams on a real broker, REST, webhook. */
@ExtendWith(EmbeddedKafkaExtension.class)
class AlertEnginePipelineTest {

    static final String RULES = """
            groups:
              - name: syslog-basics
                rules:
                  - name: DeviceErrorBurst
                    source: syslog
                    match: syslog.severity <= 3
                    group_by: [device]
                    window: 1m
                    threshold: 3
                    severity: critical
                    labels:
                      team: noc
                    annotations:
                      summary: "{{ $labels.device }} logged {{ $value }} errors in 1m"
            """;

    private static TelemetryEvent syslog(String device, String exporter, int severity, String id, long nowMillis) {
        return TelemetryEvent.newBuilder()
                .setEventId(id)
                .setExporter(Endpoint.newBuilder().setAddress(exporter).setPort(514))
                .setListener("syslog-udp")
                .setReceiveTimeUnixNanos(nowMillis * 1_000_000L)
                .setDevice(DeviceIdentity.newBuilder().setName(device).setAddress(exporter))
                .setSyslog(SyslogMessage.newBuilder().setFacility(23).setSeverity(severity).setHostname(device)
                        .setMessage("%LINK-3-UPDOWN: Interface Gi0/1, changed state to down"))
                .build();
    }

    static Map<String, Object> engineConfig(KafkaBroker kafka, Path dir, String syslogTopic, String webhookUrl) throws Exception {
        return engineConfig(kafka, dir, syslogTopic, webhookUrl, RULES);
    }

    static Map<String, Object> engineConfig(KafkaBroker kafka, Path dir, String syslogTopic, String webhookUrl,
                                            String rulesText) throws Exception {
        Path rules = dir.resolve("rules.yml");
        Files.writeString(rules, rulesText);
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("micronaut.server.port", -1);
        cfg.put("nocturne.kafka.bootstrap-servers", kafka.bootstrapServers());
        cfg.put("nocturne.topics.syslog.name", syslogTopic);
        cfg.put("nocturne.topics.alerts.name", KafkaBroker.uniqueTopic("alerts"));
        cfg.put("nocturne.topics.incidents.name", KafkaBroker.uniqueTopic("incidents"));
        cfg.put("nocturne.alert-engine.rules-path", rules.toString());
        cfg.put("nocturne.alert-engine.application-id", KafkaBroker.uniqueTopic("engine"));
        cfg.put("nocturne.alert-engine.state-dir", dir.resolve("state").toString());
        cfg.put("nocturne.alert-engine.evaluation-interval", "1s");
        cfg.put("nocturne.alert-engine.external-url", "http://noc.example:8080");
        cfg.put("nocturne.notify.webhook.url", webhookUrl);
        return cfg;
    }

    @Test
    void opensOneIncidentForABurstOfErrorsAndPostsTheAlertmanagerWebhook(KafkaBroker kafka, @TempDir Path dir) throws Exception {
        String syslogTopic = KafkaBroker.uniqueTopic("syslog");
        kafka.createTopic(syslogTopic, 3);
        try (RecordingHttpServer webhook = new RecordingHttpServer();
             ApplicationContext ctx = ApplicationContext.run(EmbeddedServer.class,
                     engineConfig(kafka, dir, syslogTopic, webhook.url("/hook"))).getApplicationContext()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> ctx.getBean(AlertEngine.class).isRunning());
            long now = System.currentTimeMillis();
            ProtobufSerde<TelemetryEvent> serde = ProtobufSerde.protobuf(TelemetryEvent.getDefaultInstance());
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                    new StringSerializer(), new ByteArraySerializer())) {
                // 5 errors from edge-1 (threshold 3: one incident, updated, never duplicated),
                // 2 errors from edge-2 (below threshold), 4 notices from edge-3 (no match).
                for (int i = 0; i < 5; i++) {
                    send(producer, serde, syslogTopic, syslog("edge-1", "192.0.2.1", 3, "e1-" + i, now + i));
                }
                for (int i = 0; i < 2; i++) {
                    send(producer, serde, syslogTopic, syslog("edge-2", "192.0.2.2", 2, "e2-" + i, now + i));
                }
                for (int i = 0; i < 4; i++) {
                    send(producer, serde, syslogTopic, syslog("edge-3", "192.0.2.3", 5, "e3-" + i, now + i));
                }
            }

            await().atMost(Duration.ofSeconds(60)).until(() -> webhook.requests().size() >= 1);
            JsonMapper json = ctx.getBean(JsonMapper.class);
            RecordingHttpServer.Request post = webhook.requests().get(0);
            assertThat(post.method()).isEqualTo("POST");
            assertThat(post.path()).isEqualTo("/hook");
            assertThat(post.header("Content-Type")).isEqualTo("application/json");
            JsonNode body = json.readValue(post.body(), JsonNode.class);
            assertThat(body.get("version").getStringValue()).isEqualTo("4");
            assertThat(body.get("status").getStringValue()).isEqualTo("firing");
            assertThat(body.get("receiver").getStringValue()).isEqualTo("webhook");
            assertThat(body.get("groupKey").getStringValue()).isEqualTo("{}:{alertname=\"DeviceErrorBurst\", device=\"edge-1\"}");
            assertThat(body.get("truncatedAlerts").getIntValue()).isZero();
            assertThat(body.get("externalURL").getStringValue()).isEqualTo("http://noc.example:8080");
            assertThat(json.writeValueAsString(body.get("groupLabels")))
                    .isEqualTo("{\"alertname\":\"DeviceErrorBurst\",\"device\":\"edge-1\"}");
            assertThat(json.writeValueAsString(body.get("commonLabels")))
                    .isEqualTo("{\"alertname\":\"DeviceErrorBurst\",\"device\":\"edge-1\",\"severity\":\"critical\",\"team\":\"noc\"}");
            assertThat(json.writeValueAsString(body.get("commonAnnotations")))
                    .isEqualTo("{\"summary\":\"edge-1 logged 3 errors in 1m\"}");
            JsonNode alert = body.get("alerts").get(0);
            assertThat(body.get("alerts").size()).isEqualTo(1);
            assertThat(alert.get("status").getStringValue()).isEqualTo("firing");
            assertThat(alert.get("endsAt").getStringValue()).isEqualTo("0001-01-01T00:00:00Z");
            String fingerprint = alert.get("fingerprint").getStringValue();
            assertThat(fingerprint).matches("[0-9a-f]{16}");
            assertThat(alert.get("generatorURL").getStringValue())
                    .isEqualTo("http://noc.example:8080/api/v1/incidents/" + fingerprint + "-1");
            assertThat(alert.get("startsAt").getStringValue()).isEqualTo(java.time.Instant.ofEpochMilli(now + 2).toString());

            // The API shows exactly one incident, for edge-1, whose later errors updated it.
            EmbeddedServer server = ctx.getBean(EmbeddedServer.class);
            try (HttpClient client = HttpClient.create(server.getURL())) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    JsonNode list = json.readValue(client.toBlocking().retrieve("/api/v1/incidents"), JsonNode.class);
                    assertThat(list.get("incidents").size()).isEqualTo(1);
                    JsonNode incident = list.get("incidents").get(0);
                    assertThat(incident.get("id").getStringValue()).isEqualTo(fingerprint + "-1");
                    assertThat(incident.get("status").getStringValue()).isEqualTo("INCIDENT_STATUS_OPEN");
                    assertThat(incident.get("labels").get("device").getStringValue()).isEqualTo("edge-1");
                    assertThat(incident.get("severity").getStringValue()).isEqualTo("critical");
                    assertThat(incident.get("summary").getStringValue()).startsWith("edge-1 logged");
                    // The crossing opened it; refreshes on the 1 s sweep after errors 4 and 5 updated it
                    // (one refresh, or two if a sweep fell between them).
                    assertThat(incident.get("occurrences").getStringValue()).isIn("2", "3");
                    assertThat(incident.get("value").getDoubleValue()).isEqualTo(5.0);
                });
                String one = client.toBlocking().retrieve("/api/v1/incidents/" + fingerprint + "-1");
                assertThat(json.readValue(one, JsonNode.class).get("rule").getStringValue()).isEqualTo("DeviceErrorBurst");
                assertThat(catchStatus(() -> client.toBlocking().retrieve("/api/v1/incidents/nope"))).isEqualTo(404);
                String metrics = client.toBlocking().retrieve("/prometheus");
                assertThat(metrics).contains("nocturne_alert_rule_matches_total{rule=\"DeviceErrorBurst\"} 7.0");
                assertThat(metrics).contains("nocturne_notify_attempts_total{outcome=\"delivered\",receiver=\"webhook\"} 1.0");
            }
            // One webhook call for the opening; updates do not page again.
            assertThat(webhook.requests()).hasSize(1);
        }
    }

    @Test
    void resolvesTheIncidentWhenTheDeviceFallsQuietAndPostsTheResolution(KafkaBroker kafka, @TempDir Path dir) throws Exception {
        String syslogTopic = KafkaBroker.uniqueTopic("syslog");
        kafka.createTopic(syslogTopic, 1);
        String shortWindow = RULES.replace("window: 1m", "window: 3s");
        try (RecordingHttpServer webhook = new RecordingHttpServer();
             ApplicationContext ctx = ApplicationContext.run(EmbeddedServer.class,
                     engineConfig(kafka, dir, syslogTopic, webhook.url("/hook"), shortWindow)).getApplicationContext()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> ctx.getBean(AlertEngine.class).isRunning());
            long now = System.currentTimeMillis();
            ProtobufSerde<TelemetryEvent> serde = ProtobufSerde.protobuf(TelemetryEvent.getDefaultInstance());
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                    new StringSerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < 3; i++) {
                    send(producer, serde, syslogTopic, syslog("core-1", "192.0.2.9", 1, "c-" + i, now + i));
                }
            }
            // Firing, then — nothing more arriving — resolved by the wall-clock sweep.
            await().atMost(Duration.ofSeconds(60)).until(() -> webhook.requests().size() >= 2);
            JsonMapper json = ctx.getBean(JsonMapper.class);
            JsonNode firing = json.readValue(webhook.requests().get(0).body(), JsonNode.class);
            JsonNode resolved = json.readValue(webhook.requests().get(1).body(), JsonNode.class);
            assertThat(firing.get("status").getStringValue()).isEqualTo("firing");
            assertThat(resolved.get("status").getStringValue()).isEqualTo("resolved");
            assertThat(resolved.get("groupKey").getStringValue()).isEqualTo(firing.get("groupKey").getStringValue());
            JsonNode alert = resolved.get("alerts").get(0);
            assertThat(alert.get("status").getStringValue()).isEqualTo("resolved");
            assertThat(alert.get("fingerprint").getStringValue()).isEqualTo(
                    firing.get("alerts").get(0).get("fingerprint").getStringValue());
            java.time.Instant endsAt = java.time.Instant.parse(alert.get("endsAt").getStringValue());
            assertThat(endsAt).isAfter(java.time.Instant.ofEpochMilli(now + 3_000));

            EmbeddedServer server = ctx.getBean(EmbeddedServer.class);
            try (HttpClient client = HttpClient.create(server.getURL())) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    JsonNode list = json.readValue(client.toBlocking().retrieve("/api/v1/incidents?status=resolved"),
                            JsonNode.class);
                    assertThat(list.get("incidents").size()).isEqualTo(1);
                    JsonNode incident = list.get("incidents").get(0);
                    assertThat(incident.get("status").getStringValue()).isEqualTo("INCIDENT_STATUS_RESOLVED");
                    assertThat(incident.get("timeline").size()).isEqualTo(2);
                });
                JsonNode open = json.readValue(client.toBlocking().retrieve("/api/v1/incidents?status=open"), JsonNode.class);
                assertThat(open.get("incidents").size()).isZero();
                assertThat(catchStatus(() -> client.toBlocking().retrieve("/api/v1/incidents?status=bogus"))).isEqualTo(400);
            }
        }
    }

    private static int catchStatus(Runnable r) {
        try {
            r.run();
            return 200;
        } catch (io.micronaut.http.client.exceptions.HttpClientResponseException e) {
            return e.getStatus().getCode();
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, ProtobufSerde<TelemetryEvent> serde, String topic,
                             TelemetryEvent e) throws Exception {
        RecordHeaders headers = new RecordHeaders();
        byte[] value = serde.serialize(headers, e);
        producer.send(new ProducerRecord<>(topic, null, e.getReceiveTimeUnixNanos() / 1_000_000L,
                e.getExporter().getAddress(), value, headers)).get();
    }
}
