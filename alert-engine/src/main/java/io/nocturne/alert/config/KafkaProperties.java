package io.nocturne.alert.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.util.HashMap;
import java.util.Map;

/** {@code nocturne.kafka.*}: how the alert engine reaches Kafka. */
@ConfigurationProperties("nocturne.kafka")
public class KafkaProperties {

    /** Kafka bootstrap servers, {@code host:port[,host:port...]}. Env: {@code KAFKA_BOOTSTRAP_SERVERS}. */
    private String bootstrapServers = "127.0.0.1:9092";

    /** Extra client settings for every Kafka client of the engine (security.protocol, sasl.*...). */
    private Map<String, Object> client = new HashMap<>();

    public String getBootstrapServers() {
        return bootstrapServers;
    }

    public void setBootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public Map<String, Object> getClient() {
        return client;
    }

    /** As Kafka names them: flat (-D, environment) and nested (YAML) forms both become dotted names. */
    public Map<String, String> clientSettings() {
        return io.nocturne.common.config.PropertyMaps.flatten(client);
    }

    public void setClient(Map<String, Object> client) {
        this.client = client;
    }
}
