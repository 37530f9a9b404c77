package io.nocturne.alert.evaluation;

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
 * owns the (rule, group) key. Small on purpose: the event itself stays in its own topic.
 *
 * @param rule        rule name
 * @param groupLabels the rule's group_by labels with this event's values
 * @param eventId     the matching event's id, kept as a sample on the alert
 */
public record RuleMatch(String rule, Map<String, String> groupLabels, String eventId) {

    public RuleMatch {
        groupLabels = Map.copyOf(groupLabels);
    }

    public static final Serde<RuleMatch> SERDE = Serdes.serdeFrom(
            (topic, m) -> m == null ? null : m.toBytes(),
            (topic, bytes) -> bytes == null ? null : fromBytes(bytes));

    byte[] toBytes() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(1); // format version
            out.writeUTF(rule);
            out.writeUTF(eventId);
            out.writeShort(groupLabels.size());
            for (Map.Entry<String, String> e : new TreeMap<>(groupLabels).entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RuleMatch fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readByte();
            if (version != 1) {
                throw new IllegalArgumentException("unknown RuleMatch format " + version);
            }
            String rule = in.readUTF();
            String eventId = in.readUTF();
            int n = in.readShort();
            Map<String, String> labels = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                labels.put(in.readUTF(), in.readUTF());
            }
            return new RuleMatch(rule, labels, eventId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
