package io.nocturne.alert.evaluation;

import io.nocturne.telemetry.v1.EventRef;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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

    private static final int FORMAT = 2;

    byte[] toBytes() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(FORMAT);
            out.writeUTF(rule);
            out.writeLong(signature);
            out.writeBoolean(clear);
            out.writeShort(groupLabels.size());
            for (Map.Entry<String, String> e : new TreeMap<>(groupLabels).entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            out.writeDouble(value);
            out.writeUTF(distinct);
            out.writeUTF(evidence.getTopic());
            out.writeInt(evidence.getPartition());
            out.writeLong(evidence.getOffset());
            out.writeUTF(evidence.getEventId());
            out.writeLong(evidence.getReceiveTimeUnixNanos());
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RuleMatch fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readByte();
            if (version != FORMAT) {
                throw new IllegalArgumentException("unknown RuleMatch format " + version);
            }
            String rule = in.readUTF();
            long signature = in.readLong();
            boolean clear = in.readBoolean();
            int n = in.readShort();
            Map<String, String> labels = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                labels.put(in.readUTF(), in.readUTF());
            }
            double value = in.readDouble();
            String distinct = in.readUTF();
            EventRef ref = EventRef.newBuilder().setTopic(in.readUTF()).setPartition(in.readInt()).setOffset(in.readLong())
                    .setEventId(in.readUTF()).setReceiveTimeUnixNanos(in.readLong()).build();
            return new RuleMatch(rule, signature, clear, labels, value, distinct, ref);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
