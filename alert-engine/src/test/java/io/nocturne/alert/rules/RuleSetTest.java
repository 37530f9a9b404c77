package io.nocturne.alert.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.nocturne.telemetry.v1.SnmpTrap;
import io.nocturne.telemetry.v1.SyslogMessage;
import io.nocturne.telemetry.v1.TelemetryEvent;
import io.nocturne.telemetry.v1.VendorTag;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The matcher's index: an event is tested only against the rules that could match it. */
class RuleSetTest {

    @Test
    void looksRulesUpByExactValuePrefixAndAcrossFieldsWithoutDuplicates() throws Exception {
        RuleSet set = new RuleSet(RuleFileLoader.parse("r.yml", """
                groups:
                  - name: g
                    rules:
                      - name: Logins
                        kind: event
                        match: syslog.vendor.mnemonic == "LOGIN_FAILED" || (syslog.app_name == "sshd" && syslog.message.startsWith("Failed"))
                      - name: Envmon
                        kind: event
                        match: trap.trap_oid.startsWith("1.3.6.1.4.1.9.9.13.3.0.")
                      - name: Reboot
                        kind: event
                        match: trap.trap_oid in ["1.3.6.1.6.3.1.1.5.1", "1.3.6.1.6.3.1.1.5.2"]
                      - name: Anything
                        kind: event
                        match: trap.varbinds.size() > 100
                      - name: Silent
                        kind: absence
                        source: syslog
                        match: "true"
                        after: 5m
                """), 1);
        assertThat(MatchIndex.describe(set.rule("Logins").index()))
                .isEqualTo("syslog.vendor.mnemonic in [LOGIN_FAILED] or syslog.app_name in [sshd]");
        assertThat(MatchIndex.describe(set.rule("Envmon").index())).isEqualTo("trap.trap_oid starts with any of [1.3.6.1.4.1.9.9.13.3.0.]");

        TelemetryEvent loginBySshd = TelemetryEvent.newBuilder().setSyslog(SyslogMessage.newBuilder().setAppName("sshd")
                .setVendor(VendorTag.newBuilder().setMnemonic("LOGIN_FAILED"))).build();
        TelemetryEvent other = TelemetryEvent.newBuilder().setSyslog(SyslogMessage.newBuilder().setAppName("cron")).build();
        assertThat(names(set.candidates(RuleSource.SYSLOG, loginBySshd))).containsExactly("Silent", "Logins");
        assertThat(names(set.candidates(RuleSource.SYSLOG, other))).containsExactly("Silent");

        TelemetryEvent fan = TelemetryEvent.newBuilder().setTrap(SnmpTrap.newBuilder().setTrapOid("1.3.6.1.4.1.9.9.13.3.0.4")).build();
        TelemetryEvent warm = TelemetryEvent.newBuilder().setTrap(SnmpTrap.newBuilder().setTrapOid("1.3.6.1.6.3.1.1.5.2")).build();
        assertThat(names(set.candidates(RuleSource.TRAPS, fan))).containsExactly("Anything", "Envmon");
        assertThat(names(set.candidates(RuleSource.TRAPS, warm))).containsExactly("Anything", "Reboot");
        assertThat(set.candidates(RuleSource.FLOWS, fan)).isEmpty();
        assertThat(set.rule("Silent").match().test(other)).isTrue();
    }

    private static List<String> names(List<Rule> rules) {
        return rules.stream().map(Rule::name).toList();
    }
}
