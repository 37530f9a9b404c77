package io.nocturne.common.cli;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --key value} and {@code --key=value} command-line options, for the CLIs (launcher, harness). */
public final class CliOptions {

    private CliOptions() {
    }

    /**
     * @param allowed the option names (without {@code --}) this command takes
     * @throws IllegalArgumentException for a stray argument, an unknown option or a missing value
     */
    public static Map<String, String> parse(List<String> args, Collection<String> allowed) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            String key = a.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new IllegalArgumentException("--" + key + " needs a value");
            }
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException("unknown option --" + key);
            }
            values.put(key, value);
        }
        return values;
    }
}
