package io.nocturne.alert.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** {@code nocturne.alert-engine.*}: rules and their evaluation. */
@ConfigurationProperties("nocturne.alert-engine")
public class AlertEngineProperties {

    /**
     * A rule file, or a directory whose {@code *.yml} / {@code *.yaml} files are the rules.
     * Env: {@code NOCTURNE_RULES_PATH} (or the older {@code NOCTURNE_RULES_FILE}).
     */
    private String rulesPath = "config/rules";
    /** How often the rule files are checked for changes and reloaded; 0 turns hot reload off. */
    private Duration rulesReloadInterval = Duration.ofSeconds(5);
    /**
     * The wall-clock sweep: absence, {@code for}, keep_firing_for, expiry, tumbling windows
     * closing; firing alerts with new events are refreshed at most this often.
     */
    private Duration evaluationInterval = Duration.ofSeconds(5);
    /** Events older than the newest seen on their task minus this are not counted (event-time lateness bound). */
    private Duration allowedLateness = Duration.ofSeconds(30);
    /** Partitions of the rule-matches repartition topic: how far evaluation scales out. Fixed once the engine ran. */
    private int partitions = 6;
    /** Kafka Streams application.id: instances with the same id share the work. */
    private String applicationId = "nocturne-alert-engine";
    /** Where Kafka Streams keeps its local state (RocksDB). */
    private String stateDir = "data/alert-engine-state";
    /** {@code exactly_once_v2} (default) or {@code at_least_once}. */
    private String processingGuarantee = "exactly_once_v2";
    /** Stream threads in this instance. */
    private int streamThreads = 1;
    /** Base URL of this service as people reach it; used in links sent in notifications. */
    private String externalUrl = "http://localhost:8080";
    /** Extra Kafka Streams settings, passed through as they are. */
    private Map<String, Object> streams = new HashMap<>();

    public String getRulesPath() {
        return rulesPath;
    }

    public void setRulesPath(String rulesPath) {
        this.rulesPath = rulesPath;
    }

    public Duration getRulesReloadInterval() {
        return rulesReloadInterval;
    }

    public void setRulesReloadInterval(Duration rulesReloadInterval) {
        this.rulesReloadInterval = rulesReloadInterval;
    }

    public Duration getAllowedLateness() {
        return allowedLateness;
    }

    public void setAllowedLateness(Duration allowedLateness) {
        this.allowedLateness = allowedLateness;
    }

    public int getPartitions() {
        return partitions;
    }

    public void setPartitions(int partitions) {
        this.partitions = partitions;
    }

    public Duration getEvaluationInterval() {
        return evaluationInterval;
    }

    public void setEvaluationInterval(Duration evaluationInterval) {
        this.evaluationInterval = evaluationInterval;
    }

    public String getApplicationId() {
        return applicationId;
    }

    public void setApplicationId(String applicationId) {
        this.applicationId = applicationId;
    }

    public String getStateDir() {
        return stateDir;
    }

    public void setStateDir(String stateDir) {
        this.stateDir = stateDir;
    }

    public String getProcessingGuarantee() {
        return processingGuarantee;
    }

    public void setProcessingGuarantee(String processingGuarantee) {
        this.processingGuarantee = processingGuarantee;
    }

    public int getStreamThreads() {
        return streamThreads;
    }

    public void setStreamThreads(int streamThreads) {
        this.streamThreads = streamThreads;
    }

    public String getExternalUrl() {
        return externalUrl;
    }

    public void setExternalUrl(String externalUrl) {
        this.externalUrl = externalUrl;
    }

    public Map<String, Object> getStreams() {
        return streams;
    }

    /** As Kafka names them: flat (-D, environment) and nested (YAML) forms both become dotted names. */
    public Map<String, String> streamsSettings() {
        return io.nocturne.common.config.PropertyMaps.flatten(streams);
    }

    public void setStreams(Map<String, Object> streams) {
        this.streams = streams;
    }
}
