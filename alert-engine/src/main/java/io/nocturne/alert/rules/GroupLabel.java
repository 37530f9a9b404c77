package io.nocturne.alert.rules;

import io.nocturne.telemetry.v1.TelemetryEvent;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The labels a rule can group by, and how each is read from an event. A closed set: label
 * cardinality stays what the devices make it, never what a message's free text makes it.
 */
public final class GroupLabel {

    private static final Map<String, Function<TelemetryEvent, String>> EXTRACTORS = new TreeMap<>(Map.of(
            "device", e -> e.getDevice().getName().isEmpty() ? e.getExporter().getAddress() : e.getDevice().getName(),
            "exporter", e -> e.getExporter().getAddress(),
            "listener", TelemetryEvent::getListener,
            "hostname", e -> e.getSyslog().getHostname(),
            "app_name", e -> e.getSyslog().getAppName(),
            "msg_id", e -> e.getSyslog().getMsgId(),
            "facility", e -> e.getSyslog().hasFacility() ? Integer.toString(e.getSyslog().getFacility()) : "",
            "severity", e -> e.getSyslog().hasSeverity() ? Integer.toString(e.getSyslog().getSeverity()) : "",
            "trap_oid", e -> e.getTrap().getTrapOid(),
            "mnemonic", e -> e.getSyslog().getVendor().getMnemonic()));

    private GroupLabel() {
    }

    public static boolean isKnown(String label) {
        return EXTRACTORS.containsKey(label);
    }

    public static String known() {
        return String.join(", ", EXTRACTORS.keySet());
    }

    public static String valueOf(String label, TelemetryEvent event) {
        return EXTRACTORS.get(label).apply(event);
    }
}
