package io.nocturne.common.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every topic of the pipeline and its defaults, in one place. Services let configuration
 * override the name, partitions, replication and wire format (see each service's
 * {@code nocturne.topics.*} keys); everything else is fixed here.
 */
public final class Topics {

    private Topics() {
    }

    private static String millis(Duration d) {
        return Long.toString(d.toMillis());
    }

    /** Decoded syslog messages, key = exporter address, value = {@code TelemetryEvent}. */
    public static final Topic SYSLOG = new Topic("nocturne.syslog", 6, (short) -1, WireFormat.PROTOBUF,
            Map.of("retention.ms", millis(Duration.ofDays(7)), "compression.type", "producer"));

    /** Decoded SNMP traps and INFORMs, key = exporter address, value = {@code TelemetryEvent}. */
    public static final Topic TRAPS = new Topic("nocturne.traps", 6, (short) -1, WireFormat.PROTOBUF,
            Map.of("retention.ms", millis(Duration.ofDays(7)), "compression.type", "producer"));

    /** Normalized flow records, key = exporter address, value = {@code TelemetryEvent}. */
    public static final Topic FLOWS = new Topic("nocturne.flows", 12, (short) -1, WireFormat.PROTOBUF,
            Map.of("retention.ms", millis(Duration.ofDays(1)), "compression.type", "producer"));

    /** Interface counters (sFlow counter samples), key = exporter address, value = {@code TelemetryEvent}. */
    public static final Topic COUNTERS = new Topic("nocturne.counters", 6, (short) -1, WireFormat.PROTOBUF,
            Map.of("retention.ms", millis(Duration.ofDays(7)), "compression.type", "producer"));

    /**
     * NetFlow v9 / IPFIX templates, latest per (exporter, domain, template id): compacted,
     * value = {@code FlowTemplate}, a withdrawal is a tombstone.
     */
    public static final Topic FLOW_TEMPLATES = new Topic("nocturne.flow-templates", 3, (short) -1,
            WireFormat.PROTOBUF, Map.of("cleanup.policy", "compact"));

    /** What could not be decoded or published, with its raw bytes: value = {@code DeadLetter}. */
    public static final Topic DEADLETTER = new Topic("nocturne.deadletter", 3, (short) -1, WireFormat.PROTOBUF,
            Map.of("retention.ms", millis(Duration.ofDays(14)), "compression.type", "producer"));

    /** Alert transitions, key = fingerprint, value = {@code AlertTransition}. */
    public static final Topic ALERTS = new Topic("nocturne.alerts", 6, (short) -1, WireFormat.PROTOBUF,
            Map.of("retention.ms", millis(Duration.ofDays(30))));

    /** Incidents, latest state per incident id: compacted, value = {@code Incident}. */
    public static final Topic INCIDENTS = new Topic("nocturne.incidents", 6, (short) -1, WireFormat.PROTOBUF,
            Map.of("cleanup.policy", "compact"));

    /** All of the above, in pipeline order. */
    public static final List<Topic> ALL = List.of(SYSLOG, TRAPS, FLOWS, COUNTERS, FLOW_TEMPLATES, DEADLETTER, ALERTS,
            INCIDENTS);

    /** One configured override of a topic's defaults ({@code nocturne.topics.<kind>.*}). */
    public record TopicOverride(String kind, String name, Integer partitions, Short replicationFactor, String format) {
    }

    /**
     * The topics a service uses, by kind, with configured overrides applied.
     *
     * @param defaults the service's topics by kind, e.g. {"syslog": SYSLOG, "deadletter": DEADLETTER}
     * @throws IllegalArgumentException naming the configuration key, for an unknown kind or value
     */
    public static Map<String, Topic> resolve(Map<String, Topic> defaults, List<TopicOverride> overrides) {
        Map<String, Topic> out = new LinkedHashMap<>(defaults);
        for (TopicOverride o : overrides) {
            Topic base = out.get(o.kind());
            if (base == null) {
                throw new IllegalArgumentException("nocturne.topics." + o.kind()
                        + ": unknown topic kind (expected one of " + out.keySet() + ")");
            }
            try {
                out.put(o.kind(), base.withOverrides(o.name(), o.partitions(), o.replicationFactor(), o.format()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("nocturne.topics." + o.kind() + ": " + e.getMessage(), e);
            }
        }
        return Map.copyOf(out);
    }
}
