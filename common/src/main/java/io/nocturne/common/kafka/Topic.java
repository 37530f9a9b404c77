package io.nocturne.common.kafka;

import java.util.Map;
import java.util.Objects;

/**
 * A Kafka topic Nocturne reads or writes, with the settings it is created with when it does
 * not exist yet.
 *
 * @param name        topic name
 * @param partitions  partition count at creation; the record key (exporter address or
 *                    fingerprint) spreads load and keeps per-device order
 * @param replicationFactor replication factor at creation ({@code -1}: the broker default)
 * @param wireFormat  how values are written on this topic
 * @param configs     topic-level configs at creation (retention, cleanup policy...)
 */
public record Topic(String name, int partitions, short replicationFactor, WireFormat wireFormat,
                    Map<String, String> configs) {

    public Topic {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("topic name must not be blank");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be >= 1, was " + partitions);
        }
        Objects.requireNonNull(wireFormat, "wireFormat");
        configs = Map.copyOf(configs);
    }

    /**
     * This topic with configured overrides applied; null or blank values keep the default.
     *
     * @throws IllegalArgumentException for a value that cannot be used (unknown format...)
     */
    public Topic withOverrides(String newName, Integer newPartitions, Short newReplicationFactor, String newFormat) {
        return new Topic(newName == null || newName.isBlank() ? name : newName,
                newPartitions == null ? partitions : newPartitions,
                newReplicationFactor == null ? replicationFactor : newReplicationFactor,
                newFormat == null || newFormat.isBlank() ? wireFormat : WireFormat.parse(newFormat),
                configs);
    }

    public Topic withName(String newName) {
        return new Topic(newName, partitions, replicationFactor, wireFormat, configs);
    }

    public Topic withPartitions(int newPartitions) {
        return new Topic(name, newPartitions, replicationFactor, wireFormat, configs);
    }

    public Topic withReplicationFactor(short newReplicationFactor) {
        return new Topic(name, partitions, newReplicationFactor, wireFormat, configs);
    }

    public Topic withWireFormat(WireFormat newWireFormat) {
        return new Topic(name, partitions, replicationFactor, newWireFormat, configs);
    }
}
