package io.nocturne.alert.evaluation;

import io.nocturne.alert.rules.Rule;
import io.nocturne.alert.rules.RuleKind;
import io.nocturne.alert.rules.RuleSet;
import io.nocturne.telemetry.v1.EventRef;
import io.nocturne.telemetry.v1.TelemetryEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The MatchProcessor's per-record work without Kafka Streams (parse, match, heartbeat
 * thinning, evidence), for {@code MatchPathMeasurement}: {@code thinFirst} asks before a match
 * is built, as the processor does; otherwise every match is built and heartbeats are thinned
 * afterwards (the processor before b5ddadb).
 */
public final class MatchPathProbe {

    private final Supplier<RuleSet> rules;
    private final RuleMatcher matcher;
    private final Map<String, Long> heartbeats = new HashMap<>();
    private long t;
    private long forwarded;

    public MatchPathProbe(Supplier<RuleSet> rules, EvaluationMetrics metrics) {
        this.rules = rules;
        this.matcher = new RuleMatcher(rules, metrics);
    }

    private boolean thin(String fp) {
        Long last = heartbeats.get(fp);
        if (last != null && t >= last && t < last + AlertEvaluator.ABSENCE_RESOLUTION_MILLIS) {
            return true;
        }
        heartbeats.put(fp, t);
        return false;
    }

    /** CPU nanoseconds of this thread for {@code rounds} passes over the encoded events. */
    public long run(byte[][] events, boolean thinFirst, int rounds) throws Exception {
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long c0 = mx.getCurrentThreadCpuTime();
        for (int r = 0; r < rounds; r++) {
            heartbeats.clear();
            for (int i = 0; i < events.length; i++) {
                t = i / 20L; // 20,000 events/s
                TelemetryEvent e = TelemetryEvent.parseFrom(events[i]);
                int offset = i;
                if (thinFirst) {
                    EventRef[] ref = new EventRef[1];
                    matcher.match(e, () -> ref[0] != null ? ref[0] : (ref[0] = evidence(e, offset)),
                            fp -> !thin(fp), (fp, m) -> forwarded++);
                } else {
                    matcher.match(e, evidence(e, offset), (fp, m) -> {
                        Rule rule = rules.get().rule(m.rule());
                        if (rule != null && rule.kind() instanceof RuleKind.Absence && thin(fp)) {
                            return;
                        }
                        forwarded++;
                    });
                }
            }
        }
        return mx.getCurrentThreadCpuTime() - c0;
    }

    public long forwarded() {
        return forwarded;
    }

    private static EventRef evidence(TelemetryEvent e, int offset) {
        return EventRef.newBuilder().setEventId(e.getEventId()).setReceiveTimeUnixNanos(e.getReceiveTimeUnixNanos())
                .setTopic("nocturne.syslog").setPartition(0).setOffset(offset).build();
    }
}
