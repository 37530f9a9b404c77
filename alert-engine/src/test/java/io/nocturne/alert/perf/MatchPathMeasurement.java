package io.nocturne.alert.perf;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nocturne.alert.evaluation.EvaluationMetrics;
import io.nocturne.alert.evaluation.MatchPathProbe;
import io.nocturne.alert.rules.RuleRepository;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * CPU per event of the source side's own work alone — parse, match with the shipped pack,
 * heartbeat thinning, evidence — on EvaluationLatencyMeasurement's events, one thread, no
 * Kafka: what the stream thread's µs per event would be without Kafka Streams, the broker
 * and a shared machine's caches. A measurement, run only when asked:
 *
 * <pre>
 * ./mvnw -o -q test -pl alert-engine -am -Dtest=MatchPathMeasurement -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dnocturne.measure=true "-Dnocturne.surefire.argLine=-Djava.io.tmpdir=$PWD/alert-engine/target/tmp -Xmx1g"
 * </pre>
 */
@EnabledIfSystemProperty(named = "nocturne.measure", matches = "true")
class MatchPathMeasurement {

    @Test
    void measure() throws Exception {
        Path home = Path.of(System.getProperty("nocturne.home", "..")).toAbsolutePath().normalize();
        RuleRepository rules = new RuleRepository(home.resolve("deploy/config/rules"));
        if (!rules.reload().applied()) {
            throw new IllegalStateException("the shipped rule pack does not load");
        }
        int n = 200_000;
        byte[][] events = new byte[n][];
        for (int i = 0; i < n; i++) {
            events[i] = EvaluationLatencyMeasurement.event(i, System.currentTimeMillis()).toByteArray();
        }
        MatchPathProbe probe = new MatchPathProbe(rules::current, new EvaluationMetrics(new SimpleMeterRegistry()));
        for (int round = 0; round < 8; round++) {
            for (boolean thinFirst : new boolean[] {false, true}) {
                long cpu = probe.run(events, thinFirst, 5);
                System.out.printf("round %d %s: %.3f us/event%n", round,
                        thinFirst ? "heartbeats thinned before the match is built" : "every match built, then thinned   ",
                        cpu / 1e3 / (5.0 * n));
            }
        }
    }
}
