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

    /** Whether a match only says "this group is alive" (an absence rule's heartbeat), which may be thinned out. */
    boolean heartbeat(RuleMatch m) {
        Rule rule = rules.get().rule(m.rule());
        return rule != null && rule.kind() instanceof RuleKind.Absence;
    }

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
            Map<String, String> labels = new LinkedHashMap<>();
            for (GroupKey key : rule.groupBy()) {
                labels.put(key.name(), key.valueOf(event));
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
            out.accept(Fingerprint.of(rule.name(), labels),
                    new RuleMatch(rule.name(), rule.signature(), clear, labels, value, distinct, evidence));
        }
    }
}
