package io.nocturne.alert.rules;

import java.util.List;

/**
 * A rule file that cannot be used, with every problem found: file, line and field of each,
 * e.g. {@code rules.yml:14: groups[0].rules[1].threshold: must be a number > 0, was "lots"}.
 */
public final class RuleFileException extends Exception {

    /** One problem: where (file, 1-based line, field path) and what. */
    public record Problem(String file, int line, String field, String message) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + field + ": " + message;
        }
    }

    private final List<Problem> problems;

    public RuleFileException(List<Problem> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String format(List<Problem> problems) {
        StringBuilder sb = new StringBuilder(problems.size() == 1 ? "invalid rule file: " : "invalid rule file ("
                + problems.size() + " problems):");
        for (Problem p : problems) {
            sb.append(problems.size() == 1 ? "" : "\n  ").append(p);
        }
        return sb.toString();
    }
}
