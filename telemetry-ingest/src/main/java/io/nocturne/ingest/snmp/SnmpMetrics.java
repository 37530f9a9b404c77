package io.nocturne.ingest.snmp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.nocturne.ingest.listener.HotCounter;
import io.nocturne.telemetry.v1.SnmpTrap;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The SNMP meters of one listener, created up front so the receive path only increments.
 * Labels come from closed sets: version × PDU type, failure reasons, Report reasons.
 */
public final class SnmpMetrics {

    /** Per trap: {@link HotCounter}s (one uncontended add, no composite dispatch). */
    private final Map<SnmpTrap.Version, Map<SnmpTrap.PduType, HotCounter>> received = new EnumMap<>(SnmpTrap.Version.class);
    private final Map<SnmpFailure, Counter> rejected = new EnumMap<>(SnmpFailure.class);
    private final Map<SnmpFailure, Counter> reports = new EnumMap<>(SnmpFailure.class);
    private final Counter discoveryReports;
    final Counter informResponses;
    final Counter informsUnanswered;

    public SnmpMetrics(MeterRegistry registry, String listener) {
        for (SnmpTrap.Version v : new SnmpTrap.Version[] {SnmpTrap.Version.VERSION_V1, SnmpTrap.Version.VERSION_V2C,
                SnmpTrap.Version.VERSION_V3}) {
            Map<SnmpTrap.PduType, HotCounter> byType = new EnumMap<>(SnmpTrap.PduType.class);
            for (SnmpTrap.PduType t : new SnmpTrap.PduType[] {SnmpTrap.PduType.PDU_TYPE_TRAP_V1,
                    SnmpTrap.PduType.PDU_TYPE_TRAP_V2, SnmpTrap.PduType.PDU_TYPE_INFORM}) {
                if ((v == SnmpTrap.Version.VERSION_V1) != (t == SnmpTrap.PduType.PDU_TYPE_TRAP_V1)) {
                    continue; // a Trap-PDU is v1 only; v2 PDUs never come in v1 messages
                }
                byType.put(t, HotCounter.register(registry, "nocturne.ingest.snmp.notifications.received",
                        "SNMP traps and INFORMs decoded and accepted, by version and PDU type", null,
                        "listener", listener, "version", label(v.name(), "VERSION_"),
                        "pdu_type", label(t.name(), "PDU_TYPE_")));
            }
            received.put(v, byType);
        }
        for (SnmpFailure f : SnmpFailure.values()) {
            rejected.put(f, Counter.builder("nocturne.ingest.snmp.rejected")
                    .description("SNMP datagrams that produced no trap, by reason (bad BER is also dead-lettered)")
                    .tag("listener", listener).tag("reason", f.label()).register(registry));
            reports.put(f, Counter.builder("nocturne.ingest.snmp.reports.sent")
                    .description("SNMPv3 Report-PDUs sent (RFC 3412 §7.2.6), by the error they report")
                    .tag("listener", listener).tag("reason", f.label()).register(registry));
        }
        discoveryReports = Counter.builder("nocturne.ingest.snmp.reports.sent")
                .description("SNMPv3 Report-PDUs sent (RFC 3412 §7.2.6), by the error they report")
                .tag("listener", listener).tag("reason", "engine_id_discovery").register(registry);
        informResponses = Counter.builder("nocturne.ingest.snmp.inform.responses")
                .description("Response-PDUs sent to INFORMs, each after Kafka acknowledged the trap")
                .tag("listener", listener).register(registry);
        informsUnanswered = Counter.builder("nocturne.ingest.snmp.informs.unanswered")
                .description("INFORMs left unanswered because Kafka did not store the trap (the device retransmits)")
                .tag("listener", listener).register(registry);
    }

    void received(SnmpTrap trap) {
        Map<SnmpTrap.PduType, HotCounter> byType = received.get(trap.getVersion());
        HotCounter c = byType == null ? null : byType.get(trap.getPduType());
        if (c != null) {
            c.increment();
        }
    }

    void rejected(SnmpFailure failure, boolean reportSent) {
        rejected.get(failure).increment();
        if (reportSent) {
            reports.get(failure).increment();
        }
    }

    void discovery(boolean reportSent) {
        if (reportSent) {
            discoveryReports.increment();
        }
    }

    private static String label(String enumName, String prefix) {
        return enumName.substring(prefix.length()).toLowerCase(Locale.ROOT);
    }
}
