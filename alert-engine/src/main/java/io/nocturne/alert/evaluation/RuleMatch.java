package io.nocturne.alert.evaluation;

import io.nocturne.telemetry.v1.EventRef;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * One event matched one rule: what travels through the repartition topic to the task that
 * owns the (rule, group) key. Small on purpose: the event itself stays in its own topic and
 * is named by {@code evidence} (topic, partition, offset). The record timestamp is the
 * event's time.
 *
 * @param rule        rule name
 * @param signature   the rule's signature when matched: a match made under an older version
 *                    of a reloaded rule is not counted under the new one
 * @param clear       a problem_clear rule's clear event (otherwise a problem / counted event)
 * @param groupLabels the rule's group_by labels with this event's values
 * @param value       the rule's numeric {@code field} for this event (0 when none)
 * @param distinct    the distinct-count key for this event ("" when none)
 * @param evidence    where the event is, its id and receive time
 */
public record RuleMatch(String rule, long signature, boolean clear, Map<String, String> groupLabels, double value,
                        String distinct, EventRef evidence) {

    public RuleMatch {
        groupLabels = Map.copyOf(groupLabels);
    }

    public static final Serde<RuleMatch> SERDE = Serdes.serdeFrom(
            (topic, m) -> m == null ? null : m.toBytes(),
            (topic, bytes) -> bytes == null ? null : fromBytes(bytes));

    private static final int FORMAT = 3;

    byte[] toBytes() {
        StateCodec.Writer w = StateCodec.scratch();
        w.b(FORMAT).s(rule).l(signature).bool(clear).i(groupLabels.size());
        for (Map.Entry<String, String> e : new TreeMap<>(groupLabels).entrySet()) {
            w.s(e.getKey()).s(e.getValue());
        }
        w.d(value).s(distinct).s(evidence.getTopic()).i(evidence.getPartition()).l(evidence.getOffset())
                .s(evidence.getEventId()).l(evidence.getReceiveTimeUnixNanos());
        return w.toBytes();
    }

    static RuleMatch fromBytes(byte[] bytes) {
        StateCodec.Reader in = new StateCodec.Reader(bytes);
        int version = in.b();
        if (version != FORMAT) {
            throw new IllegalArgumentException("unknown RuleMatch format " + version);
        }
        String rule = in.s();
        long signature = in.l();
        boolean clear = in.bool();
        int n = in.i();
        Map<String, String> labels = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            labels.put(in.s(), in.s());
        }
        double value = in.d();
        String distinct = in.s();
        EventRef ref = EventRef.newBuilder().setTopic(in.s()).setPartition(in.i()).setOffset(in.l())
                .setEventId(in.s()).setReceiveTimeUnixNanos(in.l()).build();
        return new RuleMatch(rule, signature, clear, labels, value, distinct, ref);
    }
}
