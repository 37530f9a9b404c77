package io.nocturne.ingest.flow;

import io.nocturne.telemetry.v1.FlowRecord;

/**
 * What a data set's records need from their packet header.
 *
 * @param domain      v9 source id, IPFIX observation domain id, v5 engine type/id
 * @param bootMillis  Unix ms at the exporter's sysUpTime 0 (v5/v9), -1 for IPFIX
 * @param exportNanos the header's export time
 */
public record ExportHeader(FlowRecord.Protocol protocol, String exporter, long domain, long sequence,
                           long bootMillis, long exportNanos, long receiveNanos) {
}
