package io.nocturne.ingest.flow.sflow;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.nocturne.ingest.flow.sflow.SflowDatagram.SampleKind;

/**
 * The sFlow meters of one listener, created up front. Labels are closed sets (listener, sample
 * type, record kind): agent addresses are never labels (each flow record carries its agent
 * and datagram sequence number for per-agent accounting downstream).
 */
public final class SflowMetrics {

    private final Counter[] samples = new Counter[SampleKind.values().length];
    private final Counter unknownFlowRecords;
    private final Counter unknownCounterRecords;
    private final Counter datagramsLost;
    private final Counter sequenceRestarts;
    private final Counter agentsUntracked;

    public SflowMetrics(MeterRegistry registry, String listener) {
        for (SampleKind kind : SampleKind.values()) {
            samples[kind.ordinal()] = Counter.builder("nocturne.ingest.sflow.samples")
                    .description("sFlow samples decoded, by type (unknown: skipped by length, not published)")
                    .tag("listener", listener).tag("type", kind.label()).register(registry);
        }
        unknownFlowRecords = unknownRecords(registry, listener, "flow");
        unknownCounterRecords = unknownRecords(registry, listener, "counter");
        datagramsLost = Counter.builder("nocturne.ingest.sflow.sequence.lost")
                .description("sFlow datagrams missing from agents' sequence numbers (lost before reaching us)")
                .tag("listener", listener).register(registry);
        sequenceRestarts = Counter.builder("nocturne.ingest.sflow.sequence.restarts")
                .description("sFlow agents whose datagram sequence number went back or leapt (agent restart)")
                .tag("listener", listener).register(registry);
        agentsUntracked = Counter.builder("nocturne.ingest.sflow.sequence.untracked")
                .description("sFlow datagrams whose agent was not tracked for loss (agent table full)")
                .tag("listener", listener).register(registry);
    }

    private static Counter unknownRecords(MeterRegistry registry, String listener, String kind) {
        return Counter.builder("nocturne.ingest.sflow.unknown.records")
                .description("sFlow records of a format not decoded, carried through as raw bytes")
                .tag("listener", listener).tag("kind", kind).register(registry);
    }

    void count(SflowDatagram d) {
        int[] counts = d.samples();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                samples[i].increment(counts[i]);
            }
        }
        if (d.unknownFlowRecords() > 0) {
            unknownFlowRecords.increment(d.unknownFlowRecords());
        }
        if (d.unknownCounterRecords() > 0) {
            unknownCounterRecords.increment(d.unknownCounterRecords());
        }
    }

    void sequence(AgentSequences.Observation o) {
        if (o.lost() > 0) {
            datagramsLost.increment(o.lost());
        } else if (o.restarted()) {
            sequenceRestarts.increment();
        } else if (o.untracked()) {
            agentsUntracked.increment();
        }
    }
}
