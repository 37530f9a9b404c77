package io.nocturne.alert.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IncidentControllerTest {

    @Test
    void errorMessagesStayJsonWhateverThePathHolds() {
        assertThat(IncidentController.jsonString("no incident a\"b\\c\nd\u0001"))
                .isEqualTo("\"no incident a\\\"b\\\\c\\u000ad\\u0001\"");
    }
}
