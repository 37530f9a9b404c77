package io.nocturne.alert.rules;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a rule file (Prometheus-style groups of rules, YAML) into {@link Rule}s, checking
 * everything before anything runs. Every problem is reported with the file, the line and
 * the field path, all at once, so one edit-run cycle fixes a whole file.
 *
 * <pre>
 * groups:
 *   - name: syslog-basics
 *     rules:
 *       - name: DeviceErrorBurst
 *         source: syslog
 *         match: syslog.severity &lt;= 3
 *         group_by: [device]
 *         window: 1m
 *         threshold: 5
 *         severity: critical
 *         labels: {team: noc}
 *         annotations:
 *           summary: "{{ $labels.device }} logged {{ $value }} errors in 1m"
 * </pre>
 */
public final class RuleFileLoader {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_:.-]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Set<String> GROUP_FIELDS = Set.of("name", "rules");
    private static final Set<String> RULE_FIELDS = Set.of("name", "source", "match", "group_by", "window",
            "aggregate", "threshold", "severity", "labels", "annotations");
    private static final Duration MAX_WINDOW = Duration.ofDays(1);

    private final String file;
    private final List<RuleFileException.Problem> problems = new ArrayList<>();

    private RuleFileLoader(String file) {
        this.file = file;
    }

    public static List<Rule> load(Path path) throws RuleFileException {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RuleFileException(List.of(new RuleFileException.Problem(path.toString(), 0, "(file)",
                    "cannot read: " + e.getMessage())));
        }
        return parse(path.toString(), text);
    }

    public static List<Rule> parse(String file, String yamlText) throws RuleFileException {
        return new RuleFileLoader(file).parse(new StringReader(yamlText));
    }

    private List<Rule> parse(Reader reader) throws RuleFileException {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            root = new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new RuleFileException(List.of(new RuleFileException.Problem(file, line, "(yaml)",
                    e.getProblem() + (e.getContext() == null ? "" : " " + e.getContext()))));
        } catch (RuntimeException e) {
            throw new RuleFileException(List.of(new RuleFileException.Problem(file, 0, "(yaml)", e.getMessage())));
        }
        List<Rule> rules = new ArrayList<>();
        if (!(root instanceof MappingNode top)) {
            problem(root, "(file)", "expected a mapping with a 'groups' list");
            throw new RuleFileException(problems);
        }
        Map<String, NodeTuple> topFields = fields(top, "", Set.of("groups"));
        NodeTuple groups = topFields.get("groups");
        if (groups == null || !(groups.getValueNode() instanceof SequenceNode groupList)) {
            problem(groups == null ? top : groups.getValueNode(), "groups", "required: a list of rule groups");
            throw new RuleFileException(problems);
        }
        Set<String> ruleNames = new HashSet<>();
        Set<String> groupNames = new HashSet<>();
        for (int g = 0; g < groupList.getValue().size(); g++) {
            Node groupNode = groupList.getValue().get(g);
            String gPath = "groups[" + g + "]";
            if (!(groupNode instanceof MappingNode groupMap)) {
                problem(groupNode, gPath, "expected a mapping with 'name' and 'rules'");
                continue;
            }
            Map<String, NodeTuple> gf = fields(groupMap, gPath, GROUP_FIELDS);
            String groupName = requiredString(gf, groupMap, gPath, "name");
            if (groupName != null && !groupNames.add(groupName)) {
                problem(gf.get("name").getValueNode(), gPath + ".name", "duplicate group name '" + groupName + "'");
            }
            NodeTuple rulesTuple = gf.get("rules");
            if (rulesTuple == null || !(rulesTuple.getValueNode() instanceof SequenceNode ruleList)) {
                problem(rulesTuple == null ? groupMap : rulesTuple.getValueNode(), gPath + ".rules",
                        "required: a list of rules");
                continue;
            }
            for (int r = 0; r < ruleList.getValue().size(); r++) {
                Node ruleNode = ruleList.getValue().get(r);
                String rPath = gPath + ".rules[" + r + "]";
                if (!(ruleNode instanceof MappingNode ruleMap)) {
                    problem(ruleNode, rPath, "expected a mapping");
                    continue;
                }
                Rule rule = rule(groupName, ruleMap, rPath);
                if (rule != null) {
                    if (!ruleNames.add(rule.name())) {
                        problem(ruleMap, rPath + ".name", "duplicate rule name '" + rule.name()
                                + "' (rule names are unique in a file: they are the alertname)");
                    } else {
                        rules.add(rule);
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new RuleFileException(problems);
        }
        return List.copyOf(rules);
    }

    private Rule rule(String groupName, MappingNode node, String path) {
        int before = problems.size();
        Map<String, NodeTuple> f = fields(node, path, RULE_FIELDS);
        String name = requiredString(f, node, path, "name");
        if (name != null && !NAME.matcher(name).matches()) {
            problem(f.get("name").getValueNode(), path + ".name", "'" + name + "' is not a valid name (letters, digits, _ : . -)");
        }
        RuleSource source = null;
        String sourceText = requiredString(f, node, path, "source");
        if (sourceText != null) {
            source = RuleSource.parse(sourceText).orElse(null);
            if (source == null) {
                problem(f.get("source").getValueNode(), path + ".source",
                        "unknown source '" + sourceText + "' (expected syslog, traps or flows)");
            }
        }
        MatchPredicate match = null;
        String matchText = requiredString(f, node, path, "match");
        if (matchText != null) {
            try {
                match = MatchPredicate.compile(matchText);
            } catch (MatchPredicate.InvalidExpression e) {
                Node valueNode = f.get("match").getValueNode();
                for (MatchPredicate.CompileError err : e.errors()) {
                    // Block scalars start on the line after "match: |".
                    int offset = valueNode instanceof ScalarNode s && s.getScalarStyle().getChar() != null
                            && (s.getScalarStyle().getChar() == '|' || s.getScalarStyle().getChar() == '>') ? 1 : 0;
                    problems.add(new RuleFileException.Problem(file,
                            valueNode.getStartMark().getLine() + offset + err.line(), path + ".match",
                            "CEL: " + err.message() + " (expression line " + err.line() + ", column " + err.column() + ")"));
                }
            }
        }
        List<String> groupBy = List.of("device");
        if (f.containsKey("group_by")) {
            groupBy = stringList(f.get("group_by").getValueNode(), path + ".group_by");
            for (String label : groupBy) {
                if (!GroupLabel.isKnown(label)) {
                    problem(f.get("group_by").getValueNode(), path + ".group_by",
                            "unknown label '" + label + "' (expected any of: " + GroupLabel.known() + ")");
                }
            }
        }
        Duration window = null;
        String windowText = requiredString(f, node, path, "window");
        if (windowText != null) {
            window = parseDuration(windowText);
            if (window == null || window.isZero() || window.compareTo(MAX_WINDOW) > 0) {
                problem(f.get("window").getValueNode(), path + ".window", "must be a duration from 1s to 24h such as 30s, 1m, 1h30m; was '"
                        + windowText + "'");
                window = null;
            }
        }
        Aggregate aggregate = Aggregate.COUNT;
        if (f.containsKey("aggregate")) {
            String a = scalar(f.get("aggregate").getValueNode(), path + ".aggregate");
            if (a != null && !"count".equalsIgnoreCase(a)) {
                problem(f.get("aggregate").getValueNode(), path + ".aggregate",
                        "unknown aggregate '" + a + "' (this version evaluates: count)");
            }
        }
        Double threshold = null;
        String thresholdText = requiredString(f, node, path, "threshold");
        if (thresholdText != null) {
            try {
                threshold = Double.parseDouble(thresholdText);
                if (!(threshold > 0) || threshold.isInfinite()) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                problem(f.get("threshold").getValueNode(), path + ".threshold", "must be a number > 0, was '" + thresholdText + "'");
                threshold = null;
            }
        }
        String severity = "warning";
        if (f.containsKey("severity")) {
            String s = scalar(f.get("severity").getValueNode(), path + ".severity");
            if (s != null) {
                severity = s.toLowerCase(Locale.ROOT);
            }
        }
        Map<String, String> labels = f.containsKey("labels") ? stringMap(f.get("labels").getValueNode(), path + ".labels", true) : Map.of();
        Map<String, String> annotations = f.containsKey("annotations")
                ? stringMap(f.get("annotations").getValueNode(), path + ".annotations", false) : Map.of();
        if (problems.size() > before || name == null || source == null || match == null || window == null || threshold == null) {
            return null;
        }
        return new Rule(groupName, name, source, match, groupBy, window, aggregate, threshold, severity, labels,
                annotations, file, node.getStartMark().getLine() + 1);
    }

    /** Prometheus-style durations: "90s", "1m", "1h30m", "500ms". */
    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                return null;
            }
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
            end = m.end();
        }
        return end == text.trim().length() && end > 0 ? total : null;
    }

    private Map<String, NodeTuple> fields(MappingNode node, String path, Set<String> allowed) {
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        for (NodeTuple t : node.getValue()) {
            String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
            String keyPath = path.isEmpty() ? String.valueOf(key) : path + "." + key;
            if (key == null) {
                problem(t.getKeyNode(), path, "keys must be plain strings");
            } else if (!allowed.contains(key)) {
                problem(t.getKeyNode(), keyPath, "unknown field (expected one of: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            } else {
                out.put(key, t);
            }
        }
        return out;
    }

    private String requiredString(Map<String, NodeTuple> f, Node parent, String path, String field) {
        NodeTuple t = f.get(field);
        if (t == null) {
            problem(parent, path + "." + field, "required");
            return null;
        }
        String v = scalar(t.getValueNode(), path + "." + field);
        if (v != null && v.isBlank()) {
            problem(t.getValueNode(), path + "." + field, "must not be empty");
            return null;
        }
        return v;
    }

    private String scalar(Node node, String path) {
        if (node instanceof ScalarNode s) {
            return s.getValue();
        }
        problem(node, path, "expected a single value");
        return null;
    }

    private List<String> stringList(Node node, String path) {
        if (!(node instanceof SequenceNode seq)) {
            problem(node, path, "expected a list such as [device]");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Node item : seq.getValue()) {
            String v = scalar(item, path);
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    private Map<String, String> stringMap(Node node, String path, boolean labelNames) {
        if (!(node instanceof MappingNode map)) {
            problem(node, path, "expected a mapping of names to values");
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            String k = scalar(t.getKeyNode(), path);
            String v = scalar(t.getValueNode(), path + "." + k);
            if (k == null || v == null) {
                continue;
            }
            if (labelNames && !LABEL_NAME.matcher(k).matches()) {
                problem(t.getKeyNode(), path + "." + k, "not a valid label name ([A-Za-z_][A-Za-z0-9_]*)");
            }
            out.put(k, v);
        }
        return out;
    }

    private void problem(Node node, String field, String message) {
        int line = node == null ? 0 : node.getStartMark().getLine() + 1;
        problems.add(new RuleFileException.Problem(file, line, field, message));
    }
}
