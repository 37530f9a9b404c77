package io.nocturne.alert.rules.testing;

import io.nocturne.alert.rules.Rule;
import io.nocturne.alert.rules.RuleFileException;
import io.nocturne.alert.rules.RuleRepository;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code nocturne rules check PATH...} and {@code nocturne rules test PATH...}: validate rule
 * files (every problem as {@code file:line: field: message}), and run rule unit tests. Exit
 * 0 when all is well, 1 when something is wrong, 2 for a usage error.
 */
public final class RulesCommand {

    static final String USAGE = """
            usage: nocturne rules check PATH...   validate rule files (a file, or a directory of *.yml/*.yaml)
                   nocturne rules test PATH...    run rule unit tests (a test file, or a directory of them)
            """;

    private RulesCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.size() < 2 || !(args.get(0).equals("check") || args.get(0).equals("test"))) {
            err.print(USAGE);
            return 2;
        }
        List<Path> paths = args.subList(1, args.size()).stream().map(Path::of).toList();
        return args.get(0).equals("check") ? check(paths, out, err) : test(paths, out, err);
    }

    static int check(List<Path> paths, PrintStream out, PrintStream err) {
        int rules = 0;
        int files = 0;
        List<RuleFileException.Problem> problems = new ArrayList<>();
        for (Path p : paths) {
            try {
                files += RuleRepository.ruleFiles(p).size();
            } catch (IOException e) {
                problems.add(new RuleFileException.Problem(p.toString(), 0, "(file)", e.getMessage()));
                continue;
            }
            List<Rule> loaded = RuleRepository.loadAll(p, problems);
            rules += loaded.size();
            for (Rule r : loaded) {
                out.printf("  %-28s %-13s %-7s %s%n", r.name(), r.kind().key(), r.source().key(),
                        r.index().isEmpty() ? "tested on every " + r.source().key() + " event"
                                : "indexed by " + io.nocturne.alert.rules.MatchIndex.describe(r.index()));
            }
        }
        if (!problems.isEmpty()) {
            err.println(new RuleFileException(problems).getMessage());
            return 1;
        }
        out.printf("%d rule(s) in %d file(s): OK%n", rules, files);
        return 0;
    }

    static int test(List<Path> paths, PrintStream out, PrintStream err) {
        int passed = 0;
        int failed = 0;
        for (Path p : paths) {
            List<Path> files;
            try {
                files = RuleTestRunner.testFiles(p);
            } catch (IOException e) {
                err.println(p + ": " + e.getMessage());
                failed++;
                continue;
            }
            for (Path f : files) {
                RuleTestRunner.FileResult r = RuleTestRunner.run(f);
                out.println(f + ":");
                if (!r.problems().isEmpty()) {
                    out.println("  " + new RuleFileException(r.problems()).getMessage().replace("\n", "\n  "));
                    failed++;
                }
                for (String e : r.errors()) {
                    out.println("  ERROR " + e);
                    failed++;
                }
                for (RuleTestRunner.TestResult t : r.tests()) {
                    if (t.passed()) {
                        out.println("  ok    " + t.name());
                        passed++;
                    } else {
                        out.println("  FAIL  " + t.name());
                        t.failures().forEach(x -> out.println("    " + x));
                        failed++;
                    }
                }
            }
        }
        out.printf("rule tests: %d passed, %d failed%n", passed, failed);
        return failed == 0 ? 0 : 1;
    }
}
