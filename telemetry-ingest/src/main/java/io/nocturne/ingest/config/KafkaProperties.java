package io.nocturne.ingest.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.util.HashMap;
import java.util.Map;

/** {@code nocturne.kafka.*}: how ingest reaches Kafka. */
@ConfigurationProperties("nocturne.kafka")
public class KafkaProperties {

    /** Kafka bootstrap servers, {@code host:port[,host:port...]}. Env: {@code KAFKA_BOOTSTRAP_SERVERS}. */
    private String bootstrapServers = "127.0.0.1:9092";

    /**
     * Extra producer settings, passed to the {@code KafkaProducer} as they are (e.g.
     * {@code linger.ms}, {@code security.protocol}). Idempotence and {@code acks=all} are fixed.
     */
    private Map<String, Object> producer = new HashMap<>();

    /**
     * TCP back-pressure: stream listeners stop reading while more than this many records
     * wait for the broker's acknowledgement, and resume below a quarter of it.
     */
    private int maxInFlightRecords = 20_000;

    public int getMaxInFlightRecords() {
        return maxInFlightRecords;
    }

    public void setMaxInFlightRecords(int maxInFlightRecords) {
        this.maxInFlightRecords = maxInFlightRecords;
    }

    public String getBootstrapServers() {
        return bootstrapServers;
    }

    public void setBootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public Map<String, Object> getProducer() {
        return producer;
    }

    public void setProducer(Map<String, Object> producer) {
        this.producer = producer;
    }

    /** The producer settings as Kafka names them (flat and nested forms both work). */
    public Map<String, String> producerSettings() {
        return io.nocturne.common.config.PropertyMaps.flatten(producer);
    }
}
