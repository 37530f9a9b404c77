package io.nocturne.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.nocturne.testkit.ConfigurationReference;
import org.junit.jupiter.api.Test;

class ConfigurationReferenceTest {

    @Test
    void everyKeyOfApplicationYmlIsDocumented() throws Exception {
        String docs = ConfigurationReference.documentation();
        var keys = ConfigurationReference.keys(k -> k
                .replaceFirst("^nocturne\\.topics\\.[^.]+\\.", "nocturne.topics.<kind>."));
        assertThat(keys).contains("nocturne.alert-engine.rules-path", "nocturne.notify.webhook.url");
        for (String key : keys) {
            assertThat(docs).as("docs/configuration.md documents %s", key).contains("`" + key + "`");
        }
    }
}
