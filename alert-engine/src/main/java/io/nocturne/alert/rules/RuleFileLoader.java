package io.nocturne.alert.rules;

import java.io.IOException;
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
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
 * everything before anything runs: YAML shape, every field, every CEL expression against the
 * event model. Every problem is reported with the file, the line (from SnakeYAML's node
 * marks) and the field path, all at once, so one edit-run cycle fixes a whole file.
 *
 * <pre>
 * groups:
 *   - name: interfaces
 *     rules:
 *       - name: InterfaceDown
 *         kind: problem_clear
 *         match: trap.trap_name == "IF-MIB::linkDown"
 *         clear: trap.trap_name == "IF-MIB::linkUp"
 *         group_by: [device, if_index]
 *         severity: major
 * </pre>
 */
public final class RuleFileLoader {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_:.-]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Set<String> GROUP_FIELDS = Set.of("name", "rules");
    private static final Set<String> COMMON_FIELDS = Set.of("name", "kind", "source", "match", "group_by", "for",
            "keep_firing_for", "flap", "severity", "labels", "annotations");
    private static final Map<String, Set<String>> KIND_FIELDS = Map.of(
            "event", Set.of("resolve_after"),
            "threshold", Set.of("window", "window_type", "aggregate", "field", "op", "threshold", "clear_threshold"),
            "absence", Set.of("after", "expected"),
            "problem_clear", Set.of("clear", "resolve_after"));
    private static final Duration MAX_WINDOW = Duration.ofDays(1);
    private static final Duration DEFAULT_EVENT_RESOLVE = Duration.ofMinutes(5);

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
        List<RuleFileException.Problem> problems = new ArrayList<>();
        List<Rule> rules = parse(file, yamlText, problems);
        if (!problems.isEmpty()) {
            throw new RuleFileException(problems);
        }
        return rules;
    }

    /**
     * The file's valid rules, adding every problem to {@code problems}: a caller checking
     * many files (duplicate names across files) sees everything in one pass.
     */
    static List<Rule> parse(String file, String yamlText, List<RuleFileException.Problem> problems) {
        RuleFileLoader loader = new RuleFileLoader(file);
        List<Rule> rules;
        try {
            rules = loader.parse(yamlText);
            problems.addAll(loader.problems);
        } catch (RuleFileException e) {
            rules = loader.valid;
            problems.addAll(e.problems()); // YAML that does not parse never reaches loader.problems
        }
        return rules;
    }

    static List<Rule> load(Path path, List<RuleFileException.Problem> problems) {
        try {
            return parse(path.toString(), Files.readString(path, StandardCharsets.UTF_8), problems);
        } catch (IOException e) {
            problems.add(new RuleFileException.Problem(path.toString(), 0, "(file)", "cannot read: " + e.getMessage()));
            return List.of();
        }
    }

    private final List<Rule> valid = new ArrayList<>();

    private List<Rule> parse(String text) throws RuleFileException {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new RuleFileException(List.of(new RuleFileException.Problem(file, line, "(yaml)",
                    e.getProblem() + (e.getContext() == null ? "" : " " + e.getContext()))));
        } catch (RuntimeException e) {
            throw new RuleFileException(List.of(new RuleFileException.Problem(file, 0, "(yaml)", e.getMessage())));
        }
        List<Rule> rules = new ArrayList<>();
        if (root == null) {
            return List.of(); // an empty file: no rules
        }
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
                                + "' (rule names are unique: they are the alertname)");
                    } else {
                        rules.add(rule);
                        valid.add(rule);
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
        // The kind decides which other fields are allowed, so read it first.
        String kindText = "threshold";
        for (NodeTuple t : node.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("kind") && t.getValueNode() instanceof ScalarNode v) {
                kindText = v.getValue().trim().toLowerCase(Locale.ROOT);
                if (!KIND_FIELDS.containsKey(kindText)) {
                    problem(v, path + ".kind", "unknown kind '" + v.getValue()
                            + "' (expected event, threshold, absence or problem_clear)");
                    return null;
                }
            }
        }
        Set<String> allowed = new HashSet<>(COMMON_FIELDS);
        allowed.addAll(KIND_FIELDS.get(kindText));
        Map<String, NodeTuple> f = fields(node, path, allowed, kindText);
        StringBuilder signature = new StringBuilder(kindText);

        String name = requiredString(f, node, path, "name");
        if (name != null && !NAME.matcher(name).matches()) {
            problem(f.get("name").getValueNode(), path + ".name", "'" + name + "' is not a valid name (letters, digits, _ : . -)");
        }
        MatchPredicate match = predicate(f, node, path, "match", true);
        signature.append('\0').append(match == null ? "" : match.expression());
        MatchPredicate clear = null;
        if (kindText.equals("problem_clear")) {
            clear = predicate(f, node, path, "clear", true);
            signature.append('\0').append(clear == null ? "" : clear.expression());
        }

        RuleSource source = source(f, node, path, match, clear);

        List<GroupKey> groupBy = groupBy(f, path);
        groupBy.forEach(k -> signature.append('\0').append(k.definition()));

        Duration forDuration = optionalDuration(f, path, "for", Duration.ZERO, true);
        Duration keepFiringFor = optionalDuration(f, path, "keep_firing_for", Duration.ZERO, true);
        Rule.FlapDetection flap = flap(f, path);

        RuleKind kind = switch (kindText) {
            case "event" -> new RuleKind.Event(optionalDuration(f, path, "resolve_after", DEFAULT_EVENT_RESOLVE, false));
            case "threshold" -> threshold(f, node, path, signature);
            case "absence" -> absence(f, node, path, groupBy, signature);
            default -> new RuleKind.ProblemClear(clear, f.containsKey("resolve_after")
                    ? optionalDuration(f, path, "resolve_after", null, false) : null);
        };

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
        if (problems.size() > before || name == null || source == null || match == null || kind == null) {
            return null;
        }
        List<MatchIndex.Key> index = MatchIndex.of(match);
        if (clear != null) {
            index = MatchIndex.union(index, MatchIndex.of(clear));
        }
        return new Rule(groupName, name, source, match, groupBy, kind, forDuration, keepFiringFor, flap, severity, labels,
                annotations, fnv(signature.toString()), index, file, node.getStartMark().getLine() + 1);
    }

    private MatchPredicate predicate(Map<String, NodeTuple> f, Node node, String path, String field, boolean required) {
        String text = required ? requiredString(f, node, path, field) : null;
        if (text == null) {
            return null;
        }
        try {
            return MatchPredicate.compile(text);
        } catch (CelEnvironment.InvalidExpression e) {
            celProblems(f.get(field).getValueNode(), path + "." + field, e);
            return null;
        }
    }

    private void celProblems(Node valueNode, String field, CelEnvironment.InvalidExpression e) {
        for (CelEnvironment.CompileError err : e.errors()) {
            // Block scalars start on the line after "match: |".
            int offset = valueNode instanceof ScalarNode s && s.getScalarStyle().getChar() != null
                    && (s.getScalarStyle().getChar() == '|' || s.getScalarStyle().getChar() == '>') ? 1 : 0;
            problems.add(new RuleFileException.Problem(file,
                    valueNode.getStartMark().getLine() + offset + err.line(), field,
                    "CEL: " + err.message() + " (expression line " + err.line() + ", column " + err.column() + ")"));
        }
    }

    private RuleSource source(Map<String, NodeTuple> f, Node node, String path, MatchPredicate match, MatchPredicate clear) {
        if (f.containsKey("source")) {
            String text = scalar(f.get("source").getValueNode(), path + ".source");
            if (text == null) {
                return null;
            }
            Optional<RuleSource> s = RuleSource.parse(text);
            if (s.isEmpty()) {
                problem(f.get("source").getValueNode(), path + ".source",
                        "unknown source '" + text + "' (expected syslog, traps or flows)");
            }
            return s.orElse(null);
        }
        if (match == null) {
            return null;
        }
        Set<String> used = new TreeSet<>(match.variablesUsed());
        if (clear != null) {
            used.addAll(clear.variablesUsed());
        }
        used.remove("event");
        if (used.size() == 1) {
            return switch (used.iterator().next()) {
                case "syslog" -> RuleSource.SYSLOG;
                case "trap" -> RuleSource.TRAPS;
                default -> RuleSource.FLOWS;
            };
        }
        problem(node, path + ".source", used.isEmpty()
                ? "required: match reads no body (syslog, trap or flow), so say which stream: syslog, traps or flows"
                : "required: match reads " + String.join(" and ", used) + "; say which stream: syslog, traps or flows");
        return null;
    }

    private List<GroupKey> groupBy(Map<String, NodeTuple> f, String path) {
        if (!f.containsKey("group_by")) {
            return List.of(GroupKey.builtin("device"));
        }
        Node list = f.get("group_by").getValueNode();
        String field = path + ".group_by";
        if (!(list instanceof SequenceNode seq)) {
            problem(list, field, "expected a list such as [device, if_index]");
            return List.of();
        }
        List<GroupKey> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Node item : seq.getValue()) {
            if (item instanceof ScalarNode s) {
                String label = s.getValue();
                if (!GroupLabel.isKnown(label)) {
                    problem(item, field, "unknown label '" + label + "' (expected any of: " + GroupLabel.known()
                            + ", or {name: CEL expression})");
                } else if (seen.add(label)) {
                    out.add(GroupKey.builtin(label));
                }
            } else if (item instanceof MappingNode m && m.getValue().size() == 1) {
                NodeTuple t = m.getValue().get(0);
                String label = scalar(t.getKeyNode(), field);
                String expr = scalar(t.getValueNode(), field + "." + label);
                if (label == null || expr == null) {
                    continue;
                }
                if (!LABEL_NAME.matcher(label).matches()) {
                    problem(t.getKeyNode(), field + "." + label, "not a valid label name ([A-Za-z_][A-Za-z0-9_]*)");
                    continue;
                }
                try {
                    if (seen.add(label)) {
                        out.add(GroupKey.expression(label, ValueExpression.label(expr)));
                    }
                } catch (CelEnvironment.InvalidExpression e) {
                    celProblems(t.getValueNode(), field + "." + label, e);
                }
            } else {
                problem(item, field, "expected a label name or {name: CEL expression}");
            }
        }
        return out;
    }

    private Rule.FlapDetection flap(Map<String, NodeTuple> f, String path) {
        if (!f.containsKey("flap")) {
            return null;
        }
        Node n = f.get("flap").getValueNode();
        String field = path + ".flap";
        if (!(n instanceof MappingNode m)) {
            problem(n, field, "expected {changes: N, window: 10m}");
            return null;
        }
        Map<String, NodeTuple> ff = fields(m, field, Set.of("changes", "window"));
        Integer changes = null;
        String c = requiredString(ff, m, field, "changes");
        if (c != null) {
            try {
                changes = Integer.parseInt(c.trim());
                if (changes < 1) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                problem(ff.get("changes").getValueNode(), field + ".changes", "must be a whole number >= 1, was '" + c + "'");
                changes = null;
            }
        }
        Duration window = requiredDuration(ff, m, field, "window");
        return changes == null || window == null ? null : new Rule.FlapDetection(changes, window);
    }

    private RuleKind threshold(Map<String, NodeTuple> f, Node node, String path, StringBuilder signature) {
        int before = problems.size();
        Duration window = requiredDuration(f, node, path, "window");
        boolean tumbling = false;
        if (f.containsKey("window_type")) {
            String w = scalar(f.get("window_type").getValueNode(), path + ".window_type");
            if ("tumbling".equals(w)) {
                tumbling = true;
            } else if (!"sliding".equals(w)) {
                problem(f.get("window_type").getValueNode(), path + ".window_type",
                        "expected sliding or tumbling, was '" + w + "'");
            }
        }
        Aggregate aggregate = Aggregate.COUNT;
        if (f.containsKey("aggregate")) {
            String a = scalar(f.get("aggregate").getValueNode(), path + ".aggregate");
            if (a != null) {
                Optional<Aggregate> parsed = Aggregate.parse(a);
                if (parsed.isEmpty()) {
                    problem(f.get("aggregate").getValueNode(), path + ".aggregate",
                            "unknown aggregate '" + a + "' (expected count, sum, avg, min, max, rate or distinct)");
                }
                aggregate = parsed.orElse(Aggregate.COUNT);
            }
        }
        ValueExpression field = null;
        if (f.containsKey("field")) {
            String text = scalar(f.get("field").getValueNode(), path + ".field");
            if (aggregate == Aggregate.COUNT) {
                problem(f.get("field").getValueNode(), path + ".field", "count takes no field (it counts events)");
            } else if (text != null) {
                try {
                    field = aggregate == Aggregate.DISTINCT ? ValueExpression.label(text) : ValueExpression.numeric(text);
                } catch (CelEnvironment.InvalidExpression e) {
                    celProblems(f.get("field").getValueNode(), path + ".field", e);
                }
            }
        } else if (aggregate.needsField()) {
            problem(node, path + ".field", "required for aggregate " + aggregate.key() + ": a CEL expression such as flow.bytes_scaled");
        }
        Comparison op = Comparison.GE;
        if (f.containsKey("op")) {
            String o = scalar(f.get("op").getValueNode(), path + ".op");
            if (o != null) {
                Optional<Comparison> parsed = Comparison.parse(o);
                if (parsed.isEmpty()) {
                    problem(f.get("op").getValueNode(), path + ".op", "expected one of > >= < <= == !=, was '" + o + "'");
                }
                op = parsed.orElse(Comparison.GE);
            }
        }
        Double threshold = number(f, node, path, "threshold", true);
        Double clearThreshold = f.containsKey("clear_threshold") ? number(f, node, path, "clear_threshold", true) : null;
        if (threshold != null && clearThreshold != null) {
            boolean upward = op == Comparison.GT || op == Comparison.GE;
            boolean downward = op == Comparison.LT || op == Comparison.LE;
            if ((upward && clearThreshold > threshold) || (downward && clearThreshold < threshold) || (!upward && !downward)) {
                problem(f.get("clear_threshold").getValueNode(), path + ".clear_threshold",
                        "must lie on the clear side of threshold " + AnnotationTemplate.number(threshold)
                                + " for op " + op.symbol() + " (hysteresis), was " + AnnotationTemplate.number(clearThreshold));
            }
        }
        if (problems.size() > before || window == null || threshold == null) {
            return null;
        }
        signature.append('\0').append(window.toMillis()).append(tumbling).append(aggregate)
                .append(field == null ? "" : field.expression()).append(op).append(threshold).append(clearThreshold);
        return new RuleKind.Threshold(aggregate, field, window, tumbling, op, threshold, clearThreshold);
    }

    private RuleKind absence(Map<String, NodeTuple> f, Node node, String path, List<GroupKey> groupBy, StringBuilder signature) {
        Duration after = requiredDuration(f, node, path, "after");
        List<Map<String, String>> expected = new ArrayList<>();
        if (f.containsKey("expected")) {
            Node n = f.get("expected").getValueNode();
            if (!(n instanceof SequenceNode seq)) {
                problem(n, path + ".expected", "expected a list of group label maps such as [{device: core-1}]");
            } else {
                Set<String> names = new TreeSet<>(groupBy.stream().map(GroupKey::name).toList());
                for (int i = 0; i < seq.getValue().size(); i++) {
                    Node item = seq.getValue().get(i);
                    String field = path + ".expected[" + i + "]";
                    Map<String, String> labels = stringMap(item, field, true);
                    if (!labels.keySet().equals(names)) {
                        problem(item, field, "must name exactly the group_by labels " + names + ", has " + new TreeSet<>(labels.keySet()));
                    } else {
                        expected.add(labels);
                    }
                }
            }
        }
        if (after == null) {
            return null;
        }
        signature.append('\0').append(after.toMillis());
        return new RuleKind.Absence(after, expected);
    }

    private Double number(Map<String, NodeTuple> f, Node node, String path, String field, boolean required) {
        String text = required ? requiredString(f, node, path, field) : null;
        if (text == null) {
            return null;
        }
        try {
            double v = Double.parseDouble(text.trim());
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            problem(f.get(field).getValueNode(), path + "." + field, "must be a number, was '" + text + "'");
            return null;
        }
    }

    private Duration requiredDuration(Map<String, NodeTuple> f, Node node, String path, String field) {
        String text = requiredString(f, node, path, field);
        if (text == null) {
            return null;
        }
        Duration d = parseDuration(text);
        if (d == null || d.isZero() || d.compareTo(MAX_WINDOW) > 0) {
            problem(f.get(field).getValueNode(), path + "." + field,
                    "must be a duration from 1ms to 24h such as 30s, 1m, 1h30m; was '" + text + "'");
            return null;
        }
        return d;
    }

    private Duration optionalDuration(Map<String, NodeTuple> f, String path, String field, Duration fallback, boolean zeroAllowed) {
        if (!f.containsKey(field)) {
            return fallback;
        }
        String text = scalar(f.get(field).getValueNode(), path + "." + field);
        if (text == null) {
            return fallback;
        }
        Duration d = parseDuration(text);
        if (d == null || (!zeroAllowed && d.isZero()) || d.compareTo(MAX_WINDOW) > 0) {
            problem(f.get(field).getValueNode(), path + "." + field,
                    "must be a duration up to 24h such as 30s, 5m, 1h30m; was '" + text + "'");
            return fallback;
        }
        return d;
    }

    /** Prometheus-style durations: "90s", "1m", "1h30m", "500ms", "0s". */
    public static Duration parseDuration(String text) {
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
        return fields(node, path, allowed, null);
    }

    private Map<String, NodeTuple> fields(MappingNode node, String path, Set<String> allowed, String kind) {
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        for (NodeTuple t : node.getValue()) {
            String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
            String keyPath = path.isEmpty() ? String.valueOf(key) : path + "." + key;
            if (key == null) {
                problem(t.getKeyNode(), path, "keys must be plain strings");
            } else if (!allowed.contains(key)) {
                String otherKind = kind == null ? null : KIND_FIELDS.entrySet().stream()
                        .filter(e -> e.getValue().contains(key)).map(Map.Entry::getKey).findFirst().orElse(null);
                problem(t.getKeyNode(), keyPath, otherKind != null
                        ? "not a field of kind " + kind + " (it belongs to kind " + otherKind + ")"
                        : "unknown field (expected one of: " + String.join(", ", new TreeSet<>(allowed)) + ")");
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

    static long fnv(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
