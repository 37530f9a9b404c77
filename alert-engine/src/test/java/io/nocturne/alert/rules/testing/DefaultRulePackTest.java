package io.nocturne.alert.rules.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.nocturne.alert.rules.Rule;
import io.nocturne.alert.rules.RuleFileException;
import io.nocturne.alert.rules.RuleRepository;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The shipped rule pack (deploy/config/rules) loads, and every rule test under deploy/config/rule-tests passes. */
class DefaultRulePackTest {

    static Path home() {
        return Path.of(System.getProperty("nocturne.home", "..")).toAbsolutePath().normalize();
    }

    @Test
    void loadsWithoutProblemsAndEveryRuleHasATest() throws Exception {
        List<RuleFileException.Problem> problems = new ArrayList<>();
        List<Rule> rules = RuleRepository.loadAll(home().resolve("deploy/config/rules"), problems);
        assertThat(problems).isEmpty();
        Set<String> tested = new TreeSet<>();
        for (Path f : RuleTestRunner.testFiles(home().resolve("deploy/config/rule-tests"))) {
            String text = java.nio.file.Files.readString(f);
            rules.stream().map(Rule::name).filter(n -> text.contains("alertname: " + n + ",")
                    || text.contains("alertname: " + n + "\n")).forEach(tested::add);
        }
        assertThat(tested).containsExactlyInAnyOrderElementsOf(rules.stream().map(Rule::name).collect(Collectors.toSet()));
    }

    @TestFactory
    List<DynamicTest> everyRuleTestPasses() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path f : RuleTestRunner.testFiles(home().resolve("deploy/config/rule-tests"))) {
            tests.add(DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
                RuleTestRunner.FileResult r = RuleTestRunner.run(f);
                assertThat(r.problems()).isEmpty();
                assertThat(r.errors()).isEmpty();
                assertThat(r.tests()).isNotEmpty();
                assertThat(r.tests().stream().filter(t -> !t.passed())
                        .map(t -> t.name() + ":\n  " + String.join("\n  ", t.failures())).toList()).isEmpty();
            }));
        }
        return tests;
    }
}
