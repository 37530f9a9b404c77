package io.nocturne.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.nocturne.testkit.ConfigurationReference;
import org.junit.jupiter.api.Test;

class ConfigurationReferenceTest {

    @Test
    void everyKeyOfApplicationYmlIsDocumented() throws Exception {
        String docs = ConfigurationReference.documentation();
        var keys = ConfigurationReference.keys(k -> k
                .replaceFirst("^nocturne\\.ingest\\.listeners\\.[^.]+\\.", "nocturne.ingest.listeners.<name>.")
                .replaceFirst("^nocturne\\.topics\\.[^.]+\\.", "nocturne.topics.<kind>."));
        assertThat(keys).contains("nocturne.ingest.listeners.<name>.port", "nocturne.kafka.bootstrap-servers");
        for (String key : keys) {
            assertThat(docs).as("docs/configuration.md documents %s", key).contains("`" + key + "`");
        }
    }
}
