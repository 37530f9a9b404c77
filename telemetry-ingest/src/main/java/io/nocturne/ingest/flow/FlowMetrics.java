package io.nocturne.ingest.flow;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.nocturne.ingest.flow.template.TemplateCache;
import io.nocturne.telemetry.v1.FlowRecord;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Flow accounting as Prometheus meters. Per-exporter meters carry an {@code exporter} label
 * for the first {@code exporterLabels} exporters seen and {@code other} beyond, so the label
 * set stays bounded whatever sends to the port.
 */
public final class FlowMetrics implements FlowEvents {

    private final MeterRegistry registry;
    private final int exporterLabels;
    private final Map<String, String> labels = new ConcurrentHashMap<>();
    private final Map<CounterKey, Counter> counters = new ConcurrentHashMap<>();

    /** A counter's identity; Strings cache their hashes, so a lookup builds no text. */
    private record CounterKey(String name, String protocol, String exporter) {
    }
    private final Counter pendingExpired;

    public FlowMetrics(MeterRegistry registry, int exporterLabels) {
        this.registry = registry;
        this.exporterLabels = Math.max(0, exporterLabels);
        this.pendingExpired = Counter.builder("nocturne.ingest.flow.pending.expired")
                .description("Data sets held for a template that never came (or did not fit), dead-lettered")
                .register(registry);
    }

    /** Gauges and the eviction counter of the shared template cache. */
    public TemplateCache.RemovalListener templateRemovals() {
        Map<TemplateCache.Removal, Counter> byReason = new ConcurrentHashMap<>();
        for (TemplateCache.Removal r : TemplateCache.Removal.values()) {
            byReason.put(r, Counter.builder("nocturne.ingest.flow.templates.removed")
                    .description("Templates removed from the cache: capacity (evicted), expired, withdrawn, "
                            + "session_closed (learned over a TCP connection that ended)")
                    .tag("reason", r.name().toLowerCase(Locale.ROOT)).register(registry));
        }
        return (key, why) -> byReason.get(why).increment();
    }

    public void bind(TemplateCache cache, PendingSets pending) {
        Gauge.builder("nocturne.ingest.flow.templates.active", cache, TemplateCache::size)
                .description("NetFlow v9 / IPFIX templates held").register(registry);
        Gauge.builder("nocturne.ingest.flow.template.exporters", cache, TemplateCache::exporters)
                .description("Exporters with at least one template held").register(registry);
        Gauge.builder("nocturne.ingest.flow.pending.sets", pending, PendingSets::size)
                .description("Data sets held waiting for their template").register(registry);
    }

    String exporterLabel(String exporter) {
        String l = labels.get(exporter);
        if (l != null) {
            return l;
        }
        if (labels.size() >= exporterLabels) {
            return "other";
        }
        return labels.computeIfAbsent(exporter, e -> e);
    }

    private Counter counter(String name, String description, String protocol, String exporter) {
        CounterKey key = new CounterKey(name, protocol, exporter);
        Counter c = counters.get(key);
        if (c == null) {
            c = counters.computeIfAbsent(key, k -> {
                Counter.Builder b = Counter.builder(name).description(description);
                if (protocol != null) {
                    b.tag("protocol", protocol);
                }
                if (exporter != null) {
                    b.tag("exporter", exporter);
                }
                return b.register(registry);
            });
        }
        return c;
    }

    static String label(FlowRecord.Protocol p) {
        return switch (p) {
            case PROTOCOL_NETFLOW_V5 -> "netflow5";
            case PROTOCOL_NETFLOW_V9 -> "netflow9";
            case PROTOCOL_IPFIX -> "ipfix";
            case PROTOCOL_SFLOW_V5 -> "sflow5";
            case PROTOCOL_NETFLOW_V1 -> "netflow1";
            case PROTOCOL_NETFLOW_V7 -> "netflow7";
            default -> "unknown";
        };
    }

    @Override
    public void decoded(FlowRecord.Protocol protocol, int records) {
        if (records > 0) {
            counter("nocturne.ingest.flow.records.decoded", "Flow records (and options records) decoded",
                    label(protocol), null).increment(records);
        }
    }

    @Override
    public void sequenceGap(FlowRecord.Protocol protocol, String exporter, long lost) {
        counter("nocturne.ingest.flow.sequence.lost", "Loss before ingest seen in export sequence numbers: "
                        + "flows (netflow5), export packets (netflow9), data records (ipfix)",
                label(protocol), exporterLabel(exporter)).increment(lost);
    }

    @Override
    public void templateMiss(FlowRecord.Protocol protocol, String exporter) {
        counter("nocturne.ingest.flow.template.misses", "Data sets whose template was not known on arrival",
                label(protocol), exporterLabel(exporter)).increment();
    }

    @Override
    public void unknownSampling(String exporter, int records) {
        counter("nocturne.ingest.flow.sampling.unknown", "Flow records published with an unknown sampling rate",
                null, exporterLabel(exporter)).increment(records);
    }

    /**
     * A flow record (or sFlow counter set) from {@code exporter} that Kafka will never store:
     * shed (the producer refused it) or not acknowledged (timeout, too large...).
     */
    public void notStored(String exporter) {
        counter("nocturne.ingest.flow.not.stored", "Flow records decoded but never stored: Kafka refused them or did "
                + "not acknowledge them (the listener's shed and publish-failure counters, by exporter)",
                null, exporterLabel(exporter)).increment();
    }

    @Override
    public void pendingExpired(int sets) {
        pendingExpired.increment(sets);
    }

    @Override
    public void malformed(FlowRecord.Protocol protocol) {
        counter("nocturne.ingest.flow.sets.malformed", "Sets or records that break their protocol's grammar",
                label(protocol), null).increment();
    }
}
