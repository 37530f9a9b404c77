package io.nocturne.alert.evaluation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.nocturne.alert.rules.GroupLabel;
import io.nocturne.alert.rules.Rule;
import io.nocturne.alert.rules.RuleSource;
import io.nocturne.common.log.RateLimitedLog;
import io.nocturne.telemetry.v1.TelemetryEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step one of evaluation: which rules an event matches, and the (rule, group) key each
 * match is counted under. Pure apart from its meters.
 */
public final class RuleMatcher {

    private static final Logger LOG = LoggerFactory.getLogger(RuleMatcher.class);
    /** Label values are device-supplied text: cap them so one odd message cannot bloat state. */
    static final int MAX_LABEL_VALUE_LENGTH = 256;

    private final Map<RuleSource, List<Rule>> bySource = new EnumMap<>(RuleSource.class);
    private final Map<String, Counter> matched = new LinkedHashMap<>();
    private final Map<String, Counter> errors = new LinkedHashMap<>();
    private final RateLimitedLog errorLog = new RateLimitedLog(LOG, Duration.ofSeconds(30));

    public RuleMatcher(List<Rule> rules, MeterRegistry registry) {
        for (Rule r : rules) {
            bySource.computeIfAbsent(r.source(), s -> new ArrayList<>()).add(r);
            matched.put(r.name(), Counter.builder("nocturne.alert.rule.matches")
                    .description("Events that matched a rule's predicate").tag("rule", r.name()).register(registry));
            errors.put(r.name(), Counter.builder("nocturne.alert.rule.evaluation.errors")
                    .description("Events on which a rule's predicate failed to evaluate (counted as no match)")
                    .tag("rule", r.name()).register(registry));
        }
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

    public List<KeyValue<String, RuleMatch>> matches(TelemetryEvent event) {
        if (event == null) {
            return List.of();
        }
        RuleSource source = sourceOf(event);
        List<Rule> candidates = source == null ? List.of() : bySource.getOrDefault(source, List.of());
        List<KeyValue<String, RuleMatch>> out = new ArrayList<>(1);
        for (Rule rule : candidates) {
            boolean hit;
            try {
                hit = rule.match().test(event);
            } catch (Exception e) {
                errors.get(rule.name()).increment();
                errorLog.warn("rule {} ({}:{}): match failed on event {}: {}", rule.name(), rule.file(), rule.line(),
                        event.getEventId(), e.getMessage());
                continue;
            }
            if (!hit) {
                continue;
            }
            matched.get(rule.name()).increment();
            Map<String, String> labels = new LinkedHashMap<>();
            for (String label : rule.groupBy()) {
                String v = GroupLabel.valueOf(label, event);
                labels.put(label, v.length() > MAX_LABEL_VALUE_LENGTH ? v.substring(0, MAX_LABEL_VALUE_LENGTH) : v);
            }
            out.add(KeyValue.pair(Fingerprint.of(rule.name(), labels), new RuleMatch(rule.name(), labels, event.getEventId())));
        }
        return out;
    }
}
