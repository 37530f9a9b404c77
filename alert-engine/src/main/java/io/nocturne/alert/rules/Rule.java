package io.nocturne.alert.rules;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One alert rule: for each group ({@code groupBy} labels of the matching events), fire when
 * the aggregate over the sliding {@code window} reaches {@code threshold}; resolve when it
 * falls below again.
 *
 * @param group       the rule group's name
 * @param name        the rule's name, unique in the file; the {@code alertname} label
 * @param source      which telemetry stream
 * @param match       CEL predicate over the event
 * @param groupBy     labels that identify one alert instance (e.g. [device])
 * @param window      sliding window length
 * @param aggregate   what is computed over the window
 * @param threshold   fires when the aggregate is {@code >=} this
 * @param severity    severity label of the alert (critical, warning, info...)
 * @param labels      extra labels
 * @param annotations templates: {@code {{ $labels.device }}}, {@code {{ $value }}}
 * @param line        where the rule starts in its file, for messages
 */
public record Rule(String group, String name, RuleSource source, MatchPredicate match, List<String> groupBy,
                   Duration window, Aggregate aggregate, double threshold, String severity,
                   Map<String, String> labels, Map<String, String> annotations, String file, int line) {

    public Rule {
        groupBy = List.copyOf(groupBy);
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }
}
