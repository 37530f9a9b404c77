package io.nocturne.alert.rules;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What makes a rule's condition hold for one group. */
public sealed interface RuleKind {

    /** The name used in rule files and on transitions. */
    String key();

    /**
     * Every matching event raises the alert or refreshes it; it resolves {@code resolveAfter}
     * after the last one (a coldStart trap, a config change).
     */
    record Event(Duration resolveAfter) implements RuleKind {
        @Override
        public String key() {
            return "event";
        }
    }

    /**
     * An aggregate of the matching events over a sliding or tumbling window compared with a
     * threshold. While firing, the alert stays until the value no longer satisfies
     * {@code op clearThreshold} (hysteresis; the threshold itself when none is set).
     *
     * @param field    the value aggregated (null for count, and for rate of events)
     * @param tumbling fixed windows aligned on multiples of {@code window} since the epoch,
     *                 evaluated when each closes; otherwise sliding, evaluated on every event
     */
    record Threshold(Aggregate aggregate, ValueExpression field, Duration window, boolean tumbling, Comparison op,
                     double threshold, Double clearThreshold) implements RuleKind {
        @Override
        public String key() {
            return "threshold";
        }

        public double clearLevel() {
            return clearThreshold == null ? threshold : clearThreshold;
        }
    }

    /**
     * No matching event from a group for {@code after}: for every group seen before, and for
     * the {@code expected} groups (label maps) even if never seen.
     */
    record Absence(Duration after, List<Map<String, String>> expected) implements RuleKind {
        public Absence {
            expected = expected.stream().map(Map::copyOf).toList();
        }

        @Override
        public String key() {
            return "absence";
        }
    }

    /**
     * {@code match} opens the problem, {@code clear} (same group labels) clears it, as
     * OpenNMS reduction and clear keys do (linkDown / linkUp for one device and ifIndex).
     *
     * @param resolveAfter clear by itself this long after the last problem event; null: never
     */
    record ProblemClear(MatchPredicate clear, Duration resolveAfter) implements RuleKind {
        @Override
        public String key() {
            return "problem_clear";
        }
    }
}
