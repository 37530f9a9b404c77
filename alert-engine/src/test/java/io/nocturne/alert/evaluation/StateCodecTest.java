package io.nocturne.alert.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.nocturne.telemetry.v1.EventRef;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** States and matches survive their binary form (store, changelog, repartition topic) whatever their text. */
class StateCodecTest {

    @Property(tries = 300)
    boolean matchesRoundTrip(@ForAll String rule, @ForAll String label, @ForAll String value, @ForAll double v,
                             @ForAll String eventId, @ForAll long offset) {
        RuleMatch m = new RuleMatch(rule, 42L, true, Map.of("device", label, "if_index", value), v, value,
                EventRef.newBuilder().setTopic("nocturne.syslog").setPartition(3).setOffset(offset).setEventId(eventId).build());
        return RuleMatch.fromBytes(m.toBytes()).equals(m);
    }

    @Property(tries = 300)
    void statesRoundTrip(@ForAll String rule, @ForAll String label, @ForAll long t, @ForAll String distinct) {
        AlertState s = new AlertState(rule, 7L, Map.of("device", label));
        s.phase = AlertState.Phase.FIRING;
        s.activeSince = t;
        s.window = new WindowBuckets(1000);
        s.window.add(5_000, 1, distinct);
        s.window.add(7_500, 2.5, "x");
        s.changes.add(t);
        s.addEvidence(EventRef.newBuilder().setTopic("t").setEventId(label).setOffset(t).build());
        AlertState back = AlertState.fromBytes(s.toBytes());
        assertThat(back.rule).isEqualTo(rule);
        assertThat(back.groupLabels).isEqualTo(Map.of("device", label));
        assertThat(back.snapshot()).isEqualTo(s.snapshot());
        assertThat(back.evidence()).isEqualTo(s.evidence());
        assertThat(back.toBytes()).isEqualTo(s.toBytes());
    }
}
