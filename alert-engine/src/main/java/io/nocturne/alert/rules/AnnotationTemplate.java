package io.nocturne.alert.rules;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands the template subset rule annotations use: {@code {{ $labels.<name> }}},
 * {@code {{ $value }}} and {@code {{ $threshold }}}, as in Prometheus alerting rules.
 * An unknown reference expands to nothing, not to an error at 3 a.m.
 */
public final class AnnotationTemplate {

    private static final Pattern REF = Pattern.compile("\\{\\{\\s*\\$(labels\\.([A-Za-z_][A-Za-z0-9_]*)|value|threshold)\\s*}}");

    private AnnotationTemplate() {
    }

    public static String expand(String template, Map<String, String> labels, double value, double threshold) {
        Matcher m = REF.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group(2) != null) {
                replacement = labels.getOrDefault(m.group(2), "");
            } else if ("value".equals(m.group(1))) {
                replacement = number(value);
            } else {
                replacement = number(threshold);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** 5.0 → "5", 2.5 → "2.5". */
    static String number(double v) {
        return v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
