package io.nocturne.alert.evaluation;

import io.nocturne.alert.rules.GroupKey;
import io.nocturne.alert.rules.Rule;
import io.nocturne.alert.rules.RuleKind;
import io.nocturne.alert.rules.RuleSet;
import io.nocturne.alert.rules.RuleSource;
import io.nocturne.common.log.RateLimitedLog;
import io.nocturne.telemetry.v1.EventRef;
import io.nocturne.telemetry.v1.TelemetryEvent;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step one of evaluation: which rules an event matches, and the (rule, group) key each
 * match is counted under. Only the rules the {@link RuleSet} index names for the event are
 * tested. Reads the current rules on every event, so a reload takes effect at once.
 */
public final class RuleMatcher {

    private static final Logger LOG = LoggerFactory.getLogger(RuleMatcher.class);

    private final Supplier<RuleSet> rules;
    private final EvaluationMetrics metrics;
    private final RateLimitedLog errorLog = new RateLimitedLog(LOG, Duration.ofSeconds(30));

    public RuleMatcher(Supplier<RuleSet> rules, EvaluationMetrics metrics) {
        this.rules = rules;
        this.metrics = metrics;
    }

    /**
     * Asked for each absence heartbeat (a match that only says "this group is alive") before
     * it is built: the processor thins heartbeats here, so one that is dropped costs its
     * fingerprint and nothing more.
     */
    @FunctionalInterface
    public interface HeartbeatFilter {
        boolean wants(String fingerprint);
    }

    private static final HeartbeatFilter ALL = fp -> true;

    static RuleSource sourceOf(TelemetryEvent event) {
        return switch (event.getBodyCase()) {
            case SYSLOG -> RuleSource.SYSLOG;
            case TRAP -> RuleSource.TRAPS;
            case FLOW -> RuleSource.FLOWS;
            // Interface counters (nocturne.counters) are not a rule source yet.
            case COUNTERS, BODY_NOT_SET -> null;
        };
    }

    /** Hands each (fingerprint, match) of the event to {@code out}. */
    public void match(TelemetryEvent event, EventRef evidence, BiConsumer<String, RuleMatch> out) {
        match(event, () -> evidence, ALL, out);
    }

    /**
     * Hands each (fingerprint, match) of the event to {@code out}, heartbeats only when
     * {@code heartbeats} wants them; {@code evidence} is asked for only when a match is built.
     */
    public void match(TelemetryEvent event, Supplier<EventRef> evidence, HeartbeatFilter heartbeats,
                      BiConsumer<String, RuleMatch> out) {
        if (event == null) {
            return;
        }
        RuleSource source = sourceOf(event);
        if (source == null) {
            return;
        }
        metrics.evaluated(source);
        List<Rule> candidates = rules.get().candidates(source, event);
        for (int i = 0; i < candidates.size(); i++) {
            Rule rule = candidates.get(i);
            boolean clear = false;
            try {
                if (!rule.match().test(event)) {
                    if (rule.kind() instanceof RuleKind.ProblemClear pc && pc.clear().test(event)) {
                        clear = true;
                    } else {
                        continue;
                    }
                }
            } catch (Exception e) {
                metrics.matchError(rule.name());
                errorLog.warn("rule {} ({}:{}): match failed on event {}: {}", rule.name(), rule.file(), rule.line(),
                        event.getEventId(), e.getMessage());
                continue;
            }
            metrics.matched(rule.name());
            Map<String, String> labels = labels(rule.groupBy(), event);
            String fingerprint = Fingerprint.of(rule.name(), labels);
            if (rule.kind() instanceof RuleKind.Absence && !heartbeats.wants(fingerprint)) {
                continue;
            }
            double value = 0;
            String distinct = "";
            if (rule.kind() instanceof RuleKind.Threshold th && th.field() != null && !clear) {
                try {
                    if (th.aggregate() == io.nocturne.alert.rules.Aggregate.DISTINCT) {
                        distinct = th.field().text(event);
                    } else {
                        value = th.field().number(event);
                    }
                } catch (Exception e) {
                    metrics.matchError(rule.name());
                    errorLog.warn("rule {} ({}:{}): field failed on event {}: {}", rule.name(), rule.file(), rule.line(),
                            event.getEventId(), e.getMessage());
                    continue;
                }
            } else if (rule.kind() instanceof RuleKind.Threshold) {
                value = 1; // count, and rate of events: each event counts one
            }
            out.accept(fingerprint, new RuleMatch(rule.name(), rule.signature(), clear, labels, value, distinct, evidence.get()));
        }
    }

    /** The group labels, immutable (a RuleMatch keeps them without copying); one or two without a hash map. */
    private static Map<String, String> labels(List<GroupKey> groupBy, TelemetryEvent event) {
        int n = groupBy.size();
        return switch (n) {
            case 0 -> Map.of();
            case 1 -> Map.of(groupBy.get(0).name(), groupBy.get(0).valueOf(event));
            default -> {
                if (n == 2 && !groupBy.get(0).name().equals(groupBy.get(1).name())) {
                    yield Map.of(groupBy.get(0).name(), groupBy.get(0).valueOf(event),
                            groupBy.get(1).name(), groupBy.get(1).valueOf(event));
                }
                Map<String, String> labels = new LinkedHashMap<>();
                for (GroupKey key : groupBy) {
                    labels.put(key.name(), key.valueOf(event));
                }
                yield Map.copyOf(labels);
            }
        };
    }
}
