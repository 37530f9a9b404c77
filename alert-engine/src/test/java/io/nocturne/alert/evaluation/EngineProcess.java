package io.nocturne.alert.evaluation;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nocturne.alert.AlertEngine;
import io.nocturne.alert.config.AlertEngineProperties;
import io.nocturne.alert.rules.RuleRepository;
import io.nocturne.alert.rules.RuleSource;
import io.nocturne.common.kafka.Topic;
import io.nocturne.common.kafka.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The evaluation topology alone in a JVM of its own, so a test can kill it with SIGKILL
 * (no shutdown hook, no commit, no clean close) and start another in its place. Prints
 * {@code STATE <state>} on every Kafka Streams state change.
 *
 * <p>Arguments: bootstrap rules-path state-dir application-id syslog traps flows alerts incidents
 */
public final class EngineProcess {

    private EngineProcess() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        RuleRepository rules = new RuleRepository(Path.of(args[1]));
        if (!rules.reload().applied()) {
            System.exit(2);
        }
        Map<RuleSource, Topic> sources = new EnumMap<>(RuleSource.class);
        sources.put(RuleSource.SYSLOG, Topics.SYSLOG.withName(args[4]));
        sources.put(RuleSource.TRAPS, Topics.TRAPS.withName(args[5]));
        sources.put(RuleSource.FLOWS, Topics.FLOWS.withName(args[6]));
        var topology = EvaluationTopology.build(rules::current, sources, Topics.ALERTS.withName(args[7]),
                Topics.INCIDENTS.withName(args[8]),
                new EvaluationTopology.Settings(Duration.ofSeconds(1), Duration.ofSeconds(30), 2),
                new EvaluationMetrics(new SimpleMeterRegistry()));
        AlertEngineProperties props = new AlertEngineProperties();
        props.setApplicationId(args[3]);
        props.setStateDir(args[2]);
        Properties p = AlertEngine.streamsConfig(Map.of("bootstrap.servers", bootstrap), props);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
        // A killed member is noticed after the broker's minimum session timeout, not the default 45 s.
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6000);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1000);
        KafkaStreams streams = new KafkaStreams(topology, p);
        streams.setStateListener((now, before) -> {
            System.out.println("STATE " + now);
            System.out.flush();
        });
        streams.start();
        Thread.sleep(Long.MAX_VALUE);
    }
}
