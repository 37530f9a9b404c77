package io.nocturne.ingest.flow.sflow;

import com.google.protobuf.ByteString;
import io.nocturne.telemetry.v1.FlowRecord;
import io.nocturne.telemetry.v1.InterfaceCounters;
import java.util.List;

/**
 * What one sFlow v5 datagram carried: the header (sFlow v5 §"sample_datagram_v5"), one
 * {@link FlowRecord} per flow sample and one {@link InterfaceCounters} per counter sample,
 * plus what was seen but not understood (for the metrics).
 *
 * @param agentAddress   the agent's address, 4 or 16 bytes (empty if the agent sent type 0)
 * @param subAgentId     sub-agent id
 * @param sequenceNumber datagram sequence number (per agent and sub-agent)
 * @param uptimeMillis   the agent's uptime when it sent the datagram
 * @param samples        samples by kind, in {@link SampleKind} order
 * @param unknownFlowRecords    flow records of a format not decoded (carried in unknown_fields)
 * @param unknownCounterRecords counter records of a format not decoded (carried in unknown_records)
 */
public record SflowDatagram(ByteString agentAddress, long subAgentId, long sequenceNumber, long uptimeMillis,
                            List<FlowRecord> flows, List<InterfaceCounters> counters, int[] samples,
                            int unknownFlowRecords, int unknownCounterRecords) {

    /** The sample kinds of sFlow v5 (enterprise 0); anything else is UNKNOWN and skipped. */
    public enum SampleKind {
        FLOW, COUNTER, EXPANDED_FLOW, EXPANDED_COUNTER, UNKNOWN;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public int samples(SampleKind kind) {
        return samples[kind.ordinal()];
    }
}
