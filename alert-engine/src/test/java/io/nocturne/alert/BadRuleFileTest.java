package io.nocturne.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rule file with an error stops the service at start, naming file, line and field. */
class BadRuleFileTest {

    @Test
    void refusesToStartAndSaysWhere(@TempDir Path dir) throws Exception {
        Path rules = dir.resolve("rules.yml");
        Files.writeString(rules, """
                groups:
                  - name: g
                    rules:
                      - name: Broken
                        source: syslog
                        match: syslog.severity <=
                        window: 1m
                        threshold: 5
                """);
        assertThatThrownBy(() -> ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", -1,
                "nocturne.kafka.bootstrap-servers", "127.0.0.1:1",
                "nocturne.alert-engine.rules-path", rules.toString())))
                .satisfies(e -> {
                    Throwable root = e;
                    while (root.getCause() != null) {
                        root = root.getCause();
                    }
                    assertThat(root.getMessage())
                            .startsWith("invalid rule file: " + rules + ":6: groups[0].rules[0].match: CEL: ");
                });
    }
}
