package io.nocturne.alert.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nocturne.telemetry.v1.DeviceIdentity;
import io.nocturne.telemetry.v1.SnmpTrap;
import io.nocturne.telemetry.v1.SyslogMessage;
import io.nocturne.telemetry.v1.TelemetryEvent;
import io.nocturne.telemetry.v1.VarBind;
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
    void loadsAThresholdRuleWithItsDefaultsAndCompiledMatch() throws Exception {
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
        assertThat(r.groupByNames()).containsExactly("device");
        RuleKind.Threshold th = (RuleKind.Threshold) r.kind();
        assertThat(th.window()).isEqualTo(Duration.ofSeconds(90));
        assertThat(th.aggregate()).isEqualTo(Aggregate.COUNT);
        assertThat(th.op()).isEqualTo(Comparison.GE);
        assertThat(th.threshold()).isEqualTo(5.0);
        assertThat(th.clearLevel()).isEqualTo(5.0);
        assertThat(th.tumbling()).isFalse();
        assertThat(r.forDuration()).isZero();
        assertThat(r.severity()).isEqualTo("warning");
        assertThat(r.labels()).isEqualTo(Map.of("team", "noc"));
        assertThat(r.line()).isEqualTo(4);
        assertThat(r.index()).isEmpty();

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
    void loadsEveryKindInfersTheSourceAndIndexesWhatItCan() throws Exception {
        List<Rule> rules = RuleFileLoader.parse("rules.yml", """
                groups:
                  - name: all
                    rules:
                      - name: Reboot
                        kind: event
                        match: trap.trap_oid in ["1.3.6.1.6.3.1.1.5.1", "1.3.6.1.6.3.1.1.5.2"]
                        resolve_after: 15m
                      - name: Ddos
                        match: flow.bytes_scaled > 0u
                        field: double(flow.bytes_scaled) * 8.0
                        aggregate: rate
                        window: 1m
                        window_type: tumbling
                        group_by: [dst_address]
                        op: ">"
                        threshold: 1e9
                        clear_threshold: 8e8
                        for: 1m
                        keep_firing_for: 5m
                      - name: Silent
                        kind: absence
                        source: syslog
                        match: "true"
                        after: 15m
                        expected: [{device: core1}]
                      - name: LinkDown
                        kind: problem_clear
                        match: trap.trap_name == "IF-MIB::linkDown"
                        clear: trap.trap_name == "IF-MIB::linkUp"
                        group_by: [device, if_index, {port: 'trap.varbinds.size() > 0 ? trap.varbinds[0].name : ""'}]
                        flap: {changes: 4, window: 10m}
                      - name: LinkSyslog
                        kind: problem_clear
                        match: (syslog.vendor.mnemonic == "UPDOWN" && syslog.message.contains("down")) || syslog.vendor.mnemonic == "SNMP_TRAP_LINK_DOWN"
                        clear: syslog.vendor.mnemonic in ["UPDOWN", "SNMP_TRAP_LINK_UP"]
                """);
        assertThat(rules).extracting(Rule::name).containsExactly("Reboot", "Ddos", "Silent", "LinkDown", "LinkSyslog");
        assertThat(rules).extracting(Rule::source).containsExactly(RuleSource.TRAPS, RuleSource.FLOWS, RuleSource.SYSLOG,
                RuleSource.TRAPS, RuleSource.SYSLOG);
        assertThat(rules).extracting(r -> r.index().isEmpty() ? "-" : MatchIndex.describe(r.index())).containsExactly(
                "trap.trap_oid in [1.3.6.1.6.3.1.1.5.1, 1.3.6.1.6.3.1.1.5.2]", "-", "-",
                "trap.trap_name in [IF-MIB::linkDown, IF-MIB::linkUp]",
                "syslog.vendor.mnemonic in [SNMP_TRAP_LINK_DOWN, SNMP_TRAP_LINK_UP, UPDOWN]");
        assertThat(((RuleKind.Event) rules.get(0).kind()).resolveAfter()).isEqualTo(Duration.ofMinutes(15));
        RuleKind.Threshold ddos = (RuleKind.Threshold) rules.get(1).kind();
        assertThat(ddos.aggregate()).isEqualTo(Aggregate.RATE);
        assertThat(ddos.tumbling()).isTrue();
        assertThat(ddos.op()).isEqualTo(Comparison.GT);
        assertThat(ddos.clearLevel()).isEqualTo(8e8);
        assertThat(rules.get(1).forDuration()).isEqualTo(Duration.ofMinutes(1));
        assertThat(rules.get(1).keepFiringFor()).isEqualTo(Duration.ofMinutes(5));
        assertThat(((RuleKind.Absence) rules.get(2).kind()).expected()).containsExactly(Map.of("device", "core1"));
        Rule link = rules.get(3);
        assertThat(link.flap()).isEqualTo(new Rule.FlapDetection(4, Duration.ofMinutes(10)));
        TelemetryEvent down = TelemetryEvent.newBuilder().setDevice(DeviceIdentity.newBuilder().setName("core1"))
                .setTrap(SnmpTrap.newBuilder().setTrapName("IF-MIB::linkDown")
                        .addVarbinds(VarBind.newBuilder().setName("IF-MIB::ifIndex.3").setOid("1.3.6.1.2.1.2.2.1.1.3").setInteger(3)))
                .build();
        assertThat(link.groupBy()).extracting(k -> k.name() + "=" + k.valueOf(down))
                .containsExactly("device=core1", "if_index=3", "port=IF-MIB::ifIndex.3");
        assertThat(((RuleKind.ProblemClear) link.kind()).clear().test(down)).isFalse();
    }

    @Test
    void aMisspelledFieldIsALoadErrorAtItsLine() {
        List<RuleFileException.Problem> p = problems("""
                groups:
                  - name: g
                    rules:
                      - name: A
                        kind: event
                        match: syslog.severty <= 3
                      - name: B
                        kind: threshold
                        match: flow.bytes > 0u
                        aggregate: sum
                        field: flow.byts
                        window: 1m
                        threshold: 1
                      - name: C
                        kind: threshold
                        match: flow.bytes > 0u
                        aggregate: sum
                        field: flow.src_address
                        window: 1m
                        threshold: 1
                """);
        assertThat(p).extracting(x -> x.line() + " " + x.field()).containsExactly(
                "6 groups[0].rules[0].match", "11 groups[0].rules[1].field", "18 groups[0].rules[2].field");
        assertThat(p.get(0).message()).contains("severty");
        assertThat(p.get(1).message()).contains("byts");
        assertThat(p.get(2).message()).contains("expected a number");
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
                      - name: C
                        kind: absence
                        match: syslog.severity <= 3
                        window: 1m
                      - name: D
                        kind: sometimes
                        match: "true"
                      - name: E
                        match: flow.bytes > 0u
                        window: 1m
                        threshold: 10
                        clear_threshold: 20
                """);
        assertThat(p).extracting(Object::toString).containsExactly(
                "rules.yml:8: groups[0].rules[0].threshold: must be a number, was 'lots'",
                "rules.yml:15: groups[0].rules[1].extra: unknown field (expected one of: aggregate, annotations, clear_threshold, field, flap, for, group_by, keep_firing_for, kind, labels, match, name, op, severity, source, threshold, window, window_type)",
                "rules.yml:10: groups[0].rules[1].source: unknown source 'netflow' (expected syslog, traps or flows)",
                "rules.yml:14: groups[0].rules[1].group_by: unknown label 'colour' (expected any of: " + GroupLabel.known()
                        + ", or {name: CEL expression})",
                "rules.yml:12: groups[0].rules[1].window: must be a duration from 1ms to 24h such as 30s, 1m, 1h30m; was '90'",
                "rules.yml:19: groups[0].rules[2].window: not a field of kind absence (it belongs to kind threshold)",
                "rules.yml:16: groups[0].rules[2].after: required",
                "rules.yml:21: groups[0].rules[3].kind: unknown kind 'sometimes' (expected event, threshold, absence or problem_clear)",
                "rules.yml:27: groups[0].rules[4].clear_threshold: must lie on the clear side of threshold 10 for op >= (hysteresis), was 20");
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
                "rules.yml:9: groups[0].rules[1].name: duplicate rule name 'A' (rule names are unique: they are the alertname)");
        assertThat(problems("""
                groups:
                  - name: g
                    rules:
                      - name: A
                        kind: event
                        match: event.listener == "x"
                """)).extracting(Object::toString).containsExactly(
                "rules.yml:4: groups[0].rules[0].source: required: match reads no body (syslog, trap or flow), so say which stream: syslog, traps or flows");
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
