package io.nocturne.alert.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nocturne.telemetry.v1.SyslogMessage;
import io.nocturne.telemetry.v1.TelemetryEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleFileLoaderTest {

    private static List<RuleFileException.Problem> problems(String yaml) {
        try {
            RuleFileLoader.parse("rules.yml", yaml);
        } catch (RuleFileException e) {
            return e.problems();
        }
        throw new AssertionError("expected the file to be rejected");
    }

    @Test
    void loadsAValidRuleWithItsDefaultsAndCompiledMatch() throws Exception {
        List<Rule> rules = RuleFileLoader.parse("rules.yml", """
                groups:
                  - name: basics
                    rules:
                      - name: DeviceErrorBurst
                        source: syslog
                        match: syslog.severity <= 3 && event.listener == "syslog-udp"
                        window: 1m30s
                        threshold: 5
                        labels: {team: noc}
                        annotations:
                          summary: "{{ $labels.device }} burst"
                """);
        assertThat(rules).hasSize(1);
        Rule r = rules.get(0);
        assertThat(r.group()).isEqualTo("basics");
        assertThat(r.name()).isEqualTo("DeviceErrorBurst");
        assertThat(r.source()).isEqualTo(RuleSource.SYSLOG);
        assertThat(r.groupBy()).containsExactly("device");
        assertThat(r.window()).isEqualTo(Duration.ofSeconds(90));
        assertThat(r.aggregate()).isEqualTo(Aggregate.COUNT);
        assertThat(r.threshold()).isEqualTo(5.0);
        assertThat(r.severity()).isEqualTo("warning");
        assertThat(r.labels()).isEqualTo(Map.of("team", "noc"));
        assertThat(r.line()).isEqualTo(4);

        TelemetryEvent error = TelemetryEvent.newBuilder().setListener("syslog-udp")
                .setSyslog(SyslogMessage.newBuilder().setSeverity(3)).build();
        TelemetryEvent notice = error.toBuilder().setSyslog(SyslogMessage.newBuilder().setSeverity(5)).build();
        TelemetryEvent emergencyOtherListener = TelemetryEvent.newBuilder().setListener("x")
                .setSyslog(SyslogMessage.newBuilder().setSeverity(0)).build();
        assertThat(r.match().test(error)).isTrue();
        assertThat(r.match().test(notice)).isFalse();
        assertThat(r.match().test(emergencyOtherListener)).isFalse();
    }

    @Test
    void reportsEveryProblemWithFileLineAndField() {
        List<RuleFileException.Problem> p = problems("""
                groups:
                  - name: basics
                    rules:
                      - name: A
                        source: syslog
                        match: syslog.severity <= 3
                        window: 1m
                        threshold: lots
                      - name: B
                        source: netflow
                        match: "true"
                        window: 90
                        threshold: 1
                        group_by: [device, colour]
                        extra: 1
                """);
        assertThat(p).extracting(Object::toString).containsExactly(
                "rules.yml:8: groups[0].rules[0].threshold: must be a number > 0, was 'lots'",
                "rules.yml:15: groups[0].rules[1].extra: unknown field (expected one of: aggregate, annotations, group_by, labels, match, name, severity, source, threshold, window)",
                "rules.yml:10: groups[0].rules[1].source: unknown source 'netflow' (expected syslog, traps or flows)",
                "rules.yml:14: groups[0].rules[1].group_by: unknown label 'colour' (expected any of: app_name, device, exporter, facility, hostname, listener, mnemonic, msg_id, severity, trap_oid)",
                "rules.yml:12: groups[0].rules[1].window: must be a duration from 1s to 24h such as 30s, 1m, 1h30m; was '90'");
    }

    @Test
    void pointsAtTheLineOfACelError() {
        List<RuleFileException.Problem> p = problems("""
                groups:
                  - name: basics
                    rules:
                      - name: A
                        source: syslog
                        match: |
                          syslog.severity <= 3 &&
                          syslog.colour == "red"
                        window: 1m
                        threshold: 1
                """);
        assertThat(p).hasSize(1);
        assertThat(p.get(0).line()).isEqualTo(8);
        assertThat(p.get(0).field()).isEqualTo("groups[0].rules[0].match");
        assertThat(p.get(0).message()).contains("colour").contains("expression line 2");
    }

    @Test
    void rejectsMissingFieldsDuplicatesAndBrokenYaml() {
        assertThat(problems("""
                groups:
                  - name: g
                    rules:
                      - name: A
                        source: syslog
                        match: "true"
                        window: 1m
                        threshold: 1
                      - name: A
                        source: syslog
                """)).extracting(Object::toString).containsExactly(
                "rules.yml:9: groups[0].rules[1].match: required",
                "rules.yml:9: groups[0].rules[1].window: required",
                "rules.yml:9: groups[0].rules[1].threshold: required");
        assertThat(problems("""
                groups:
                  - name: g
                    rules:
                      - name: A
                        source: syslog
                        match: "true"
                        window: 1m
                        threshold: 1
                      - name: A
                        source: syslog
                        match: "true"
                        window: 1m
                        threshold: 1
                """)).extracting(Object::toString).containsExactly(
                "rules.yml:9: groups[0].rules[1].name: duplicate rule name 'A' (rule names are unique in a file: they are the alertname)");
        assertThat(problems("groups:\n  - name: g\n    rules: [\n")).singleElement()
                .satisfies(pr -> assertThat(pr.field()).isEqualTo("(yaml)"));
        assertThat(problems("rules: []\n")).extracting(Object::toString).contains(
                "rules.yml:1: rules: unknown field (expected one of: groups)");
        assertThatThrownBy(() -> RuleFileLoader.load(java.nio.file.Path.of("/nonexistent/rules.yml")))
                .isInstanceOf(RuleFileException.class).hasMessageContaining("/nonexistent/rules.yml:0: (file): cannot read");
    }

    @Test
    void parsesPrometheusDurations() {
        assertThat(RuleFileLoader.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(RuleFileLoader.parseDuration("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(RuleFileLoader.parseDuration("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(RuleFileLoader.parseDuration("1m x")).isNull();
        assertThat(RuleFileLoader.parseDuration("m")).isNull();
        assertThat(RuleFileLoader.parseDuration("")).isNull();
    }

    @Test
    void expandsAnnotationTemplates() {
        assertThat(AnnotationTemplate.expand("{{ $labels.device }} sent {{$value}} (>= {{ $threshold }}) {{ $labels.nope }}.",
                Map.of("device", "edge-1"), 7, 2.5)).isEqualTo("edge-1 sent 7 (>= 2.5) .");
    }
}
