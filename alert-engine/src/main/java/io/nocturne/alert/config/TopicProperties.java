package io.nocturne.alert.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.nocturne.common.kafka.Topics;

/**
 * {@code nocturne.topics.<kind>.*}: overrides of a topic's defaults from
 * {@link io.nocturne.common.kafka.Topics}; {@code <kind>} is syslog, traps, flows, alerts or incidents.
 */
@EachProperty("nocturne.topics")
public class TopicProperties {

    private final String kind;
    /** Topic name. */
    private String name;
    /** Partitions when the alert engine creates the topic (alerts, incidents). */
    private Integer partitions;
    /** Replication factor when the alert engine creates the topic; -1 takes the broker's default. */
    private Short replicationFactor;
    /** {@code protobuf} (default) or {@code json}. */
    private String format;

    public TopicProperties(@Parameter String kind) {
        this.kind = kind;
    }

    public String getKind() {
        return kind;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public Integer getPartitions() {
        return partitions;
    }

    public void setPartitions(Integer partitions) {
        this.partitions = partitions;
    }

    public Short getReplicationFactor() {
        return replicationFactor;
    }

    public void setReplicationFactor(Short replicationFactor) {
        this.replicationFactor = replicationFactor;
    }

    public String getFormat() {
        return format;
    }

    public void setFormat(String format) {
        this.format = format;
    }

    /** This entry as an override of the topic's defaults. */
    public Topics.TopicOverride toOverride() {
        return new Topics.TopicOverride(kind, name, partitions, replicationFactor, format);
    }
}
