package io.nocturne.alert.rules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running rules and where they come from: a rule file, or a directory of {@code *.yml}
 * / {@code *.yaml} files (hidden files ignored). A load checks every file; only if all are
 * valid does the new set replace the running one: a bad edit is reported with file, line
 * and field and the rules that were running keep running.
 */
public final class RuleRepository {

    private static final Logger LOG = LoggerFactory.getLogger(RuleRepository.class);

    /** What a load did. */
    public record LoadResult(boolean applied, int rules, List<RuleFileException.Problem> problems, long generation,
                             Instant at) {
        public LoadResult {
            problems = List.copyOf(problems);
        }
    }

    private final Path path;
    private final AtomicReference<RuleSet> current = new AtomicReference<>(RuleSet.EMPTY);
    private final AtomicReference<LoadResult> last = new AtomicReference<>();
    private final List<Consumer<LoadResult>> listeners = new ArrayList<>();
    private Map<Path, String> lastStamp = Map.of();
    private long generation;

    public RuleRepository(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    public RuleSet current() {
        return current.get();
    }

    public LoadResult lastResult() {
        return last.get();
    }

    public synchronized void onLoad(Consumer<LoadResult> listener) {
        listeners.add(listener);
    }

    /** Loads every rule file; replaces the running rules only when all of them are valid. */
    public synchronized LoadResult reload() {
        Map<Path, String> stamp = stamp();
        List<RuleFileException.Problem> problems = new ArrayList<>();
        List<Rule> rules = loadAll(path, problems);
        LoadResult result;
        if (problems.isEmpty()) {
            generation++;
            current.set(new RuleSet(rules, generation));
            result = new LoadResult(true, rules.size(), List.of(), generation, Instant.now());
            LOG.info("loaded {} rule(s) from {} (generation {}); index: {}", rules.size(), path, generation,
                    current.get().indexSummary());
        } else {
            result = new LoadResult(false, current.get().size(), problems, generation, Instant.now());
            LOG.error("{}; the {} rule(s) loaded before keep running", new RuleFileException(problems).getMessage(),
                    current.get().size());
        }
        lastStamp = stamp;
        last.set(result);
        listeners.forEach(l -> l.accept(result));
        return result;
    }

    /** Reloads if any rule file was added, removed or changed since the last load; empty if none was. */
    public synchronized java.util.Optional<LoadResult> reloadIfChanged() {
        if (stamp().equals(lastStamp)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(reload());
    }

    /**
     * Every rule of a file or directory, checked: problems are added to {@code problems}
     * (rule names must be unique across files: they are the alertname).
     */
    public static List<Rule> loadAll(Path path, List<RuleFileException.Problem> problems) {
        List<Rule> rules = new ArrayList<>();
        Map<String, Rule> names = new HashMap<>();
        List<Path> files;
        try {
            files = ruleFiles(path);
        } catch (IOException e) {
            problems.add(new RuleFileException.Problem(path.toString(), 0, "(file)", "cannot read: " + e));
            return List.of();
        }
        for (Path f : files) {
            for (Rule r : RuleFileLoader.load(f, problems)) {
                Rule other = names.putIfAbsent(r.name(), r);
                if (other != null) {
                    problems.add(new RuleFileException.Problem(r.file(), r.line(), "name", "duplicate rule name '"
                            + r.name() + "' (also at " + other.file() + ":" + other.line() + "; rule names are the alertname)"));
                } else {
                    rules.add(r);
                }
            }
        }
        return rules;
    }

    /** The rule files: the path itself, or the directory's *.yml and *.yaml files by name. */
    public static List<Path> ruleFiles(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new IOException(path + " does not exist");
        }
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> s = Files.list(path)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml"))
                    .sorted()
                    .toList();
        }
    }

    /** Names, sizes and checksums of the rule files: a change in any triggers a reload. */
    private Map<Path, String> stamp() {
        Map<Path, String> out = new TreeMap<>();
        try {
            for (Path f : ruleFiles(path)) {
                // Content, not modification time: two quick edits of the same size within the
                // file system's time resolution must still be seen.
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                byte[] bytes = Files.readAllBytes(f);
                crc.update(bytes);
                out.put(f, bytes.length + "/" + Long.toHexString(crc.getValue()));
            }
        } catch (IOException e) {
            out.put(path, "unreadable: " + e.getMessage());
        }
        return out;
    }
}
