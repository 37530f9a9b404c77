package io.nocturne.alert.rules.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nocturne rules check} and {@code nocturne rules test}: exit codes and what they print. */
class RulesCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return RulesCommand.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void checkExitsNonZeroWithEveryProblemAsFileLineField(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("good.yml"), """
                groups:
                  - name: g
                    rules:
                      - name: Reboot
                        kind: event
                        match: trap.trap_oid == "1.3.6.1.6.3.1.1.5.1"
                """);
        assertThat(run("check", dir.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Reboot", "indexed by trap.trap_oid in [1.3.6.1.6.3.1.1.5.1]",
                "1 rule(s) in 1 file(s): OK");

        Path bad = dir.resolve("bad.yml");
        Files.writeString(bad, """
                groups:
                  - name: h
                    rules:
                      - name: Reboot
                        kind: event
                        match: trap.trap_oid == "x"
                      - name: Burst
                        match: syslog.severity <= 3
                        window: 1 minute
                        threshold: 5
                """);
        assertThat(run("check", dir.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("invalid rule file (2 problems):\n"
                + "  " + bad + ":9: groups[0].rules[1].window: must be a duration from 1ms to 24h such as 30s, 1m, 1h30m; was '1 minute'\n"
                + "  " + dir.resolve("good.yml") + ":4: name: duplicate rule name 'Reboot' (also at " + bad + ":4; rule names are the alertname)\n");
        assertThat(run("check")).isEqualTo(2);
        assertThat(run("check", dir.resolve("missing").toString())).isEqualTo(1);
    }

    @Test
    void testReportsEachFailureWithExpectedAndActualAlerts(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("rules.yml"), """
                groups:
                  - name: g
                    rules:
                      - name: Reboot
                        kind: event
                        match: trap.trap_oid == "1.3.6.1.6.3.1.1.5.1"
                        resolve_after: 1m
                """);
        Path tests = Files.createDirectories(dir.resolve("tests"));
        Files.writeString(tests.resolve("reboot.yml"), """
                rule_files: [../rules.yml]
                tests:
                  - name: passes
                    events:
                      - at: 0s
                        event: {device: {name: sw1}, trap: {trapOid: "1.3.6.1.6.3.1.1.5.1"}}
                    alerts:
                      - at: 30s
                        firing: [{labels: {alertname: Reboot, device: sw1, severity: warning}}]
                      - at: 61s
                        firing: []
                  - name: expects the wrong device
                    events:
                      - at: 0s
                        event: {device: {name: sw1}, trap: {trapOid: "1.3.6.1.6.3.1.1.5.1"}}
                    alerts:
                      - at: 30s
                        firing: [{labels: {alertname: Reboot, device: sw2, severity: warning}}]
                """);
        assertThat(run("test", tests.toString())).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(tests.resolve("reboot.yml") + ":\n"
                + "  ok    passes\n"
                + "  FAIL  expects the wrong device\n"
                + "    at 30s: firing alerts differ\n"
                + "      expected: [{alertname=\"Reboot\", device=\"sw2\", severity=\"warning\"}]\n"
                + "      got:      [{alertname=\"Reboot\", device=\"sw1\", severity=\"warning\"}]\n"
                + "rule tests: 1 passed, 1 failed\n");
    }
}
