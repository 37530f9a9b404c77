package io.nocturne.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.nocturne.common.kafka.ProtobufSerde;
import io.nocturne.telemetry.v1.AlertState;
import io.nocturne.telemetry.v1.AlertTransition;
import io.nocturne.telemetry.v1.DeviceIdentity;
import io.nocturne.telemetry.v1.Endpoint;
import io.nocturne.telemetry.v1.SyslogMessage;
import io.nocturne.telemetry.v1.TelemetryEvent;
import io.nocturne.telemetry.v1.VendorTag;
import io.nocturne.testkit.EmbeddedKafkaExtension;
import io.nocturne.testkit.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules change while the engine runs: a bad file is refused with file, line and field and the
 * running rules stay; a good edit is picked up from the directory without an API call; the
 * new rule evaluates events at once, on the same topology.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class RulesHotReloadTest {

    @Test
    void refusesABadEditKeepsTheRunningRulesThenPicksUpTheFixedFile(KafkaBroker kafka, @TempDir Path dir) throws Exception {
        Path rulesDir = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(rulesDir.resolve("a.yml"), """
                groups:
                  - name: a
                    rules:
                      - name: ErrorBurst
                        match: syslog.severity <= 3
                        window: 1m
                        threshold: 100
                """);
        String syslogTopic = KafkaBroker.uniqueTopic("syslog");
        String alertsTopic = KafkaBroker.uniqueTopic("alerts");
        kafka.createTopic(syslogTopic, 2);
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("micronaut.server.port", -1);
        cfg.put("nocturne.kafka.bootstrap-servers", kafka.bootstrapServers());
        cfg.put("nocturne.topics.syslog.name", syslogTopic);
        cfg.put("nocturne.topics.traps.name", KafkaBroker.uniqueTopic("traps"));
        cfg.put("nocturne.topics.flows.name", KafkaBroker.uniqueTopic("flows"));
        cfg.put("nocturne.topics.alerts.name", alertsTopic);
        cfg.put("nocturne.topics.incidents.name", KafkaBroker.uniqueTopic("incidents"));
        cfg.put("nocturne.alert-engine.rules-path", rulesDir.toString());
        cfg.put("nocturne.alert-engine.rules-reload-interval", "200ms");
        cfg.put("nocturne.alert-engine.application-id", KafkaBroker.uniqueTopic("engine"));
        cfg.put("nocturne.alert-engine.state-dir", dir.resolve("state").toString());
        cfg.put("nocturne.alert-engine.evaluation-interval", "1s");
        cfg.put("nocturne.alert-engine.partitions", 2);
        try (ApplicationContext ctx = ApplicationContext.run(EmbeddedServer.class, cfg).getApplicationContext();
             HttpClient client = HttpClient.create(ctx.getBean(EmbeddedServer.class).getURL())) {
            JsonMapper json = ctx.getBean(JsonMapper.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> ctx.getBean(AlertEngine.class).isRunning());

            // A broken file next to the good one: the reload is refused, precisely.
            Path b = rulesDir.resolve("b.yml");
            Files.writeString(b, """
                    groups:
                      - name: b
                        rules:
                          - name: ConfigChanged
                            kind: event
                            match: syslog.vendor.mnemonik == "CONFIG_I"
                    """);
            HttpClientResponseException refused = org.junit.jupiter.api.Assertions.assertThrows(HttpClientResponseException.class,
                    () -> client.toBlocking().retrieve(HttpRequest.POST("/api/v1/rules/reload", "")));
            assertThat(refused.getStatus().getCode()).isEqualTo(422);
            JsonNode result = json.readValue(refused.getResponse().getBody(String.class).orElseThrow(), JsonNode.class);
            assertThat(result.get("applied").getBooleanValue()).isFalse();
            JsonNode problem = result.get("problems").get(0);
            assertThat(problem.get("file").getStringValue()).isEqualTo(b.toString());
            assertThat(problem.get("line").getIntValue()).isEqualTo(6);
            assertThat(problem.get("field").getStringValue()).isEqualTo("groups[0].rules[0].match");
            assertThat(problem.get("message").getStringValue()).contains("mnemonik");
            JsonNode running = json.readValue(client.toBlocking().retrieve("/api/v1/rules"), JsonNode.class);
            assertThat(running.get("rules").size()).isEqualTo(1);
            assertThat(running.get("rules").get(0).get("name").getStringValue()).isEqualTo("ErrorBurst");
            assertThat(running.get("lastLoad").get("applied").getBooleanValue()).isFalse();

            // The fix is picked up by the watcher, no API call needed.
            Files.writeString(b, """
                    groups:
                      - name: b
                        rules:
                          - name: ConfigChanged
                            kind: event
                            match: syslog.vendor.mnemonic == "CONFIG_I"
                            severity: info
                            annotations:
                              summary: "{{ $labels.device }} configuration changed"
                    """);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode now = json.readValue(client.toBlocking().retrieve("/api/v1/rules"), JsonNode.class);
                assertThat(now.get("rules").size()).isEqualTo(2);
                assertThat(now.get("rules").get(1).get("index").getStringValue()).isEqualTo("syslog.vendor.mnemonic in [CONFIG_I]");
            });

            // ...and evaluates at once on the running topology.
            long now = System.currentTimeMillis();
            TelemetryEvent event = TelemetryEvent.newBuilder().setEventId("cfg-1")
                    .setExporter(Endpoint.newBuilder().setAddress("192.0.2.5")).setReceiveTimeUnixNanos(now * 1_000_000L)
                    .setDevice(DeviceIdentity.newBuilder().setName("sw5"))
                    .setSyslog(SyslogMessage.newBuilder().setSeverity(5).setMessage("Configured from console by admin")
                            .setVendor(VendorTag.newBuilder().setVendor("cisco").setFacility("SYS").setMnemonic("CONFIG_I")))
                    .build();
            RecordMetadata sent;
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                    new StringSerializer(), new ByteArraySerializer())) {
                RecordHeaders headers = new RecordHeaders();
                byte[] value = ProtobufSerde.protobuf(TelemetryEvent.getDefaultInstance()).serialize(headers, event);
                sent = producer.send(new ProducerRecord<>(syslogTopic, null, now, "192.0.2.5", value, headers)).get();
            }
            List<ConsumerRecord<String, AlertTransition>> alerts = kafka.read(alertsTopic,
                    ProtobufSerde.protobuf(AlertTransition.getDefaultInstance()), 1, Duration.ofSeconds(30));
            assertThat(alerts).hasSize(1);
            AlertTransition t = alerts.get(0).value();
            assertThat(t.getRule()).isEqualTo("ConfigChanged");
            assertThat(t.getRuleKind()).isEqualTo("event");
            assertThat(t.getState()).isEqualTo(AlertState.ALERT_STATE_FIRING);
            assertThat(t.getLabelsMap()).isEqualTo(Map.of("alertname", "ConfigChanged", "device", "sw5", "severity", "info"));
            assertThat(t.getAnnotationsMap()).isEqualTo(Map.of("summary", "sw5 configuration changed"));
            assertThat(t.getTransitionId()).isEqualTo(t.getFingerprint() + ":firing:" + now);
            assertThat(t.getEvidenceList()).singleElement().satisfies(ref -> {
                assertThat(ref.getTopic()).isEqualTo(syslogTopic);
                assertThat(ref.getPartition()).isEqualTo(sent.partition());
                assertThat(ref.getOffset()).isEqualTo(sent.offset());
                assertThat(ref.getEventId()).isEqualTo("cfg-1");
            });

            String metrics = client.toBlocking().retrieve("/prometheus");
            // The watcher may have seen the bad file before the API call did: refused once or twice.
            java.util.regex.Matcher rejected = java.util.regex.Pattern
                    .compile("nocturne_alert_rule_loads_total\\{outcome=\"rejected\"} ([12])\\.0").matcher(metrics);
            assertThat(rejected.find()).isTrue();
            assertThat(metrics).contains("nocturne_alert_rule_load_errors_total " + rejected.group(1) + ".0");
            assertThat(metrics).contains("nocturne_alert_rule_loads_total{outcome=\"applied\"} 2.0");
            assertThat(metrics).contains("nocturne_alert_rules_loaded 2.0");
            assertThat(metrics).contains("nocturne_alert_rules_last_load_success 1.0");
            assertThat(metrics).contains("nocturne_alert_events_evaluated_total{source=\"syslog\"} 1.0");
            assertThat(metrics).contains("nocturne_alert_rule_matches_total{rule=\"ConfigChanged\"} 1.0");
            assertThat(metrics).contains("nocturne_alert_transitions_total{rule=\"ConfigChanged\",severity=\"info\",state=\"firing\"} 1.0");
            assertThat(metrics).contains("nocturne_alert_evaluation_latency_seconds_count 1");
            assertThat(metrics).contains("nocturne_alert_evaluation_latency_seconds{quantile=\"0.99\"}");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String m = client.toBlocking().retrieve("/prometheus");
                assertThat(m).contains("nocturne_alert_alerts{rule=\"ConfigChanged\",severity=\"info\",state=\"firing\"} 1.0");
                assertThat(m).contains("nocturne_alert_state_entries{store=\"rule-state\"} 1.0");
            });
        }
    }
}
