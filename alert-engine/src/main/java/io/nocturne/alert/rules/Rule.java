package io.nocturne.alert.rules;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One alert rule: for each group ({@code groupBy} labels of the matching events), a
 * condition of its {@link RuleKind}; {@code for} holds it pending before it fires,
 * {@code keepFiringFor} keeps it firing after the condition ends, {@code flap} folds a storm
 * of state changes into one flapping alert.
 *
 * @param group         the rule group's name
 * @param name          unique among the loaded rules; the {@code alertname} label
 * @param source        which telemetry stream
 * @param match         CEL predicate over the event
 * @param groupBy       labels that identify one alert instance (e.g. device, if_index)
 * @param forDuration   pending this long before firing (zero: fire at once)
 * @param keepFiringFor keep firing this long after the condition stopped holding
 * @param flap          flap detection, or null
 * @param severity      severity label (critical, warning, info...)
 * @param labels        extra labels
 * @param annotations   templates: {@code {{ $labels.device }}}, {@code {{ $value }}}
 * @param signature     hash of everything that decides the condition: state kept under
 *                      another signature is reset, not misread, when the rule changes
 * @param index         what the rule can match (any of these keys), for the matcher's lookup; empty: test every event
 * @param file          where the rule is, for messages
 * @param line          where the rule starts in its file
 */
public record Rule(String group, String name, RuleSource source, MatchPredicate match, List<GroupKey> groupBy,
                   RuleKind kind, Duration forDuration, Duration keepFiringFor, FlapDetection flap, String severity,
                   Map<String, String> labels, Map<String, String> annotations, long signature,
                   List<MatchIndex.Key> index, String file, int line) {

    public Rule {
        groupBy = List.copyOf(groupBy);
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        index = List.copyOf(index);
    }

    /** More than {@code maxChanges} state changes within {@code window} make the alert flapping. */
    public record FlapDetection(int maxChanges, Duration window) {
    }

    public List<String> groupByNames() {
        return groupBy.stream().map(GroupKey::name).toList();
    }
}
