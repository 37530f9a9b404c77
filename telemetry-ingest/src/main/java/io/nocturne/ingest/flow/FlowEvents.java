package io.nocturne.ingest.flow;

import io.nocturne.telemetry.v1.FlowRecord;

/** What the flow decoders report for accounting ({@link FlowMetrics}); a no-op by default. */
public interface FlowEvents {

    FlowEvents NONE = new FlowEvents() {
    };

    default void decoded(FlowRecord.Protocol protocol, int records) {
    }

    /**
     * Export-side loss seen in the sequence numbers: flows (v5), export packets (v9, RFC 3954
     * §5.1) or data records (IPFIX, RFC 7011 §3.1).
     */
    default void sequenceGap(FlowRecord.Protocol protocol, String exporter, long lost) {
    }

    /** A data set arrived for a template not (yet) known. */
    default void templateMiss(FlowRecord.Protocol protocol, String exporter) {
    }

    default void unknownSampling(String exporter, int records) {
    }

    /** Held data sets whose template never came (or that did not fit): dead-lettered. */
    default void pendingExpired(int sets) {
    }

    /** A set or record that breaks the grammar (the rest of the packet still decodes). */
    default void malformed(FlowRecord.Protocol protocol) {
    }
}
