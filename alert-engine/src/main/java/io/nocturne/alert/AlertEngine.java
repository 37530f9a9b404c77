package io.nocturne.alert;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;
import io.nocturne.alert.config.AlertEngineProperties;
import io.nocturne.alert.config.KafkaProperties;
import io.nocturne.alert.config.TopicProperties;
import io.micrometer.core.instrument.Counter;
import io.nocturne.alert.evaluation.EvaluationMetrics;
import io.nocturne.alert.evaluation.EvaluationTopology;
import io.nocturne.alert.rules.RuleFileException;
import io.nocturne.alert.rules.RuleRepository;
import io.nocturne.alert.rules.RuleSource;
import io.nocturne.common.kafka.Topic;
import io.nocturne.common.kafka.TopicProvisioner;
import io.nocturne.common.kafka.Topics;
import jakarta.annotation.PreDestroy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the rules (a bad file stops the start with file, line and field), waits for Kafka
 * (saying so while it is unreachable), then runs the evaluation topology on Kafka Streams.
 * While it runs, the rule files are checked for changes every {@code rules-reload-interval}
 * and reloaded (also on {@code POST /api/v1/rules/reload}); a reload that fails validation
 * is reported and the running rules stay.
 */
@Context
@io.micronaut.context.annotation.Requires(property = "nocturne.alert-engine.enabled", notEquals = "false")
public class AlertEngine {

    private static final Logger LOG = LoggerFactory.getLogger(AlertEngine.class);

    private final AlertEngineProperties props;
    private final KafkaProperties kafka;
    private final RuleRepository rules;
    private final EvaluationMetrics metrics;
    private final Map<String, Topic> topics;
    private final Thread starter;
    private final Thread watcher;
    private volatile KafkaStreams streams;
    private volatile boolean stopping;

    public AlertEngine(AlertEngineProperties props, KafkaProperties kafka, List<TopicProperties> topicOverrides,
                       MeterRegistry registry) {
        this.props = props;
        this.kafka = kafka;
        this.topics = resolveTopics(topicOverrides);
        this.rules = new RuleRepository(Path.of(props.getRulesPath()));
        this.metrics = new EvaluationMetrics(registry);
        Counter applied = Counter.builder("nocturne.alert.rule.loads").description("Rule loads by outcome")
                .tag("outcome", "applied").register(registry);
        Counter rejected = Counter.builder("nocturne.alert.rule.loads").description("Rule loads by outcome")
                .tag("outcome", "rejected").register(registry);
        Counter problems = Counter.builder("nocturne.alert.rule.load.errors")
                .description("Problems found in rule files (each with file, line and field) by loads that were rejected")
                .register(registry);
        rules.onLoad(r -> {
            (r.applied() ? applied : rejected).increment();
            problems.increment(r.problems().size());
        });
        RuleRepository.LoadResult first = rules.reload();
        if (!first.applied()) {
            throw new ConfigurationException(new RuleFileException(first.problems()).getMessage());
        }
        Gauge.builder("nocturne.alert.rules.loaded", rules, r -> r.current().size())
                .description("Rules running now").register(registry);
        Gauge.builder("nocturne.alert.rules.last.load.success", rules, r -> r.lastResult().applied() ? 1 : 0)
                .description("1 if the last rule load was applied, 0 if it was rejected (the rules before it run on)")
                .register(registry);
        Gauge.builder("nocturne.alert.streams.running", this, e -> e.isRunning() ? 1 : 0)
                .description("1 while the evaluation topology is RUNNING").register(registry);
        this.starter = new Thread(this::start, "alert-engine-start");
        this.starter.setDaemon(true);
        this.starter.start();
        this.watcher = new Thread(this::watchRules, "alert-engine-rule-watch");
        this.watcher.setDaemon(true);
        if (!props.getRulesReloadInterval().isZero()) {
            this.watcher.start();
        }
    }

    static Map<String, Topic> resolveTopics(List<TopicProperties> overrides) {
        Map<String, Topic> defaults = new LinkedHashMap<>();
        defaults.put("syslog", Topics.SYSLOG);
        defaults.put("traps", Topics.TRAPS);
        defaults.put("flows", Topics.FLOWS);
        defaults.put("alerts", Topics.ALERTS);
        defaults.put("incidents", Topics.INCIDENTS);
        try {
            return Topics.resolve(defaults, overrides.stream().map(TopicProperties::toOverride).toList());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
    }

    /** Polls the rule files (content checksums): robust where file events are not (bind mounts, ConfigMap symlink swaps). */
    private void watchRules() {
        long interval = props.getRulesReloadInterval().toMillis();
        while (!stopping) {
            try {
                Thread.sleep(interval);
                rules.reloadIfChanged();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("rule reload failed", e);
            }
        }
    }

    private void start() {
        Map<String, Object> client = new HashMap<>(kafka.clientSettings());
        client.put("bootstrap.servers", kafka.getBootstrapServers());
        LOG.info("connecting to Kafka at {}", kafka.getBootstrapServers());
        Map<RuleSource, Topic> sources = new EnumMap<>(RuleSource.class);
        for (RuleSource s : RuleSource.values()) {
            sources.put(s, topics.get(s.key()));
        }
        List<Topic> needed = new ArrayList<>(sources.values());
        needed.add(topics.get("alerts"));
        needed.add(topics.get("incidents"));
        if (!new TopicProvisioner(client).awaitReady(needed, () -> !stopping)) {
            return;
        }
        Topology topology = EvaluationTopology.build(rules::current, sources, topics.get("alerts"), topics.get("incidents"),
                new EvaluationTopology.Settings(props.getEvaluationInterval(), props.getAllowedLateness(),
                        props.getPartitions()), metrics);
        LOG.debug("topology:\n{}", topology.describe());
        KafkaStreams ks = new KafkaStreams(topology, streamsConfig(client));
        ks.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        ks.setStateListener((now, before) -> LOG.info("evaluation {} -> {}", before, now));
        synchronized (this) {
            if (stopping) {
                return;
            }
            streams = ks;
            ks.start();
        }
    }

    private Properties streamsConfig(Map<String, Object> client) {
        return streamsConfig(client, props);
    }

    /** The Kafka Streams settings of the evaluation (also used by tests that run the topology without Micronaut). */
    public static Properties streamsConfig(Map<String, Object> client, AlertEngineProperties props) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, props.getApplicationId());
        p.put(StreamsConfig.STATE_DIR_CONFIG, Path.of(props.getStateDir()).toAbsolutePath().toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, props.getProcessingGuarantee());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, props.getStreamThreads());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
        // A record that cannot be deserialized is logged and skipped, not a dead stream thread.
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 10 * 1024 * 1024L);
        // Exactly-once commits a transaction per interval. Kafka 4's transactions v2 answers a
        // produce that races the previous commit with CONCURRENT_TRANSACTIONS (retried): at the
        // 100 ms EOS default that churn costs the shared broker latency; alerting does not
        // need sub-second commits.
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000);
        p.put(StreamsConfig.producerPrefix(org.apache.kafka.clients.producer.ProducerConfig.RETRY_BACKOFF_MS_CONFIG), 20);
        // Matches to the repartition topic and transitions to nocturne.alerts: Streams' default
        // linger (100 ms) would add up to 100 ms on each of the two hops between an event and
        // its transition. 20 ms still batches: against 5 ms it cut the broker's request
        // handling by ~40 % and the engine's producer thread by half (EvaluationLatencyMeasurement,
        // docs/performance.md).
        p.put(StreamsConfig.producerPrefix(org.apache.kafka.clients.producer.ProducerConfig.LINGER_MS_CONFIG), 20);
        p.put(StreamsConfig.producerPrefix(org.apache.kafka.clients.producer.ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // One task reads partition N of syslog, traps and flows. Events of different topics need
        // no relative order here, and waiting for (or checking on) the quiet ones costs: with
        // the default, every record re-examined the empty partitions (~20 % of the stream
        // thread at 20k events/s in EvaluationLatencyMeasurement).
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
        p.putAll(props.streamsSettings());
        return p;
    }

    public boolean isRunning() {
        KafkaStreams ks = streams;
        return ks != null && ks.state() == KafkaStreams.State.RUNNING;
    }

    /** The running streams, once started. */
    public Optional<KafkaStreams> streams() {
        return Optional.ofNullable(streams);
    }

    public String state() {
        KafkaStreams ks = streams;
        return ks == null ? "WAITING_FOR_KAFKA" : ks.state().name();
    }

    /** The rules: the running set, the last load's result, and reload. */
    public RuleRepository rules() {
        return rules;
    }

    public Map<String, Topic> topics() {
        return topics;
    }

    @PreDestroy
    void stop() {
        KafkaStreams ks;
        synchronized (this) {
            stopping = true;
            ks = streams;
        }
        starter.interrupt();
        watcher.interrupt();
        if (ks != null) {
            ks.close(Duration.ofSeconds(30));
        }
    }
}
