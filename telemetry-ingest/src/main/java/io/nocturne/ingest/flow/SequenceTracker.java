package io.nocturne.ingest.flow;

import io.nocturne.telemetry.v1.FlowRecord;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The next sequence number each (protocol, exporter, domain) should send. A jump forward is
 * loss before the packet reached us; a jump back or a huge jump is a reordering or an
 * exporter restart, re-synchronised without counting.
 */
final class SequenceTracker {

    private record Key(FlowRecord.Protocol protocol, String exporter, long domain) {
    }

    /** Bound on tracked streams; beyond it the table starts over (gaps missed, memory kept). */
    static final int MAX_STREAMS = 100_000;
    /** A forward jump larger than this is taken as a restart, not loss. */
    static final long MAX_GAP = 1L << 24;

    private final Map<Key, Long> expected = new ConcurrentHashMap<>();

    /**
     * @param units what the packet adds to the sequence (v5 flows, v9 1 packet, IPFIX data records)
     * @param known whether {@code units} is exact (IPFIX: every data set decoded)
     * @return units lost between the previous packet and this one
     */
    long observe(FlowRecord.Protocol protocol, String exporter, long domain, long sequence, long units,
                 boolean known) {
        Key key = new Key(protocol, exporter, domain);
        if (expected.size() >= MAX_STREAMS && !expected.containsKey(key)) {
            expected.clear();
        }
        Long want = known ? expected.put(key, (sequence + units) & 0xFFFFFFFFL) : expected.remove(key);
        if (want == null) {
            return 0;
        }
        long gap = (sequence - want) & 0xFFFFFFFFL;
        return gap > 0 && gap < MAX_GAP ? gap : 0;
    }
}
