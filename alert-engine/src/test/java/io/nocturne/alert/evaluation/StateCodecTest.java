package io.nocturne.alert.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.nocturne.telemetry.v1.EventRef;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

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

    /** State written by the previous version (format 2, fixed-width buckets) is still read after an upgrade. */
    @Test
    void readsFormatTwoStates() {
        StateCodec.Writer w = new StateCodec.Writer(64);
        w.b(2).s("Busy").l(7L).i(1).s("device").s("core1")
                .b(AlertState.Phase.FIRING.ordinal()).l(0).l(60_000).l(61_000).bool(true).l(61_500).l(1_000)
                .bool(false).d(3).bool(true).i(0).l(0).l(Long.MIN_VALUE)
                .bool(true).l(1_000).bool(true).i(2).l(60_000).l(2).l(61_000).l(1).i(0)
                .i(0).bool(false).l(0).i(1)
                .s("nocturne.syslog").i(2).l(17).s("ev-1").l(61_500_000_000L);
        AlertState s = AlertState.fromBytes(w.toBytes());
        assertThat(s.rule).isEqualTo("Busy");
        assertThat(s.groupLabels).isEqualTo(Map.of("device", "core1"));
        assertThat(s.phase).isEqualTo(AlertState.Phase.FIRING);
        assertThat(s.lastMatchAt).isEqualTo(61_500);
        assertThat(s.window.value(io.nocturne.alert.rules.Aggregate.COUNT, 60_000, 61_999, 60_000)).isEqualTo(3);
        assertThat(s.evidence()).containsExactly(EventRef.newBuilder().setTopic("nocturne.syslog").setPartition(2)
                .setOffset(17).setEventId("ev-1").setReceiveTimeUnixNanos(61_500_000_000L).build());
        AlertState again = AlertState.fromBytes(s.toBytes());
        assertThat(again.snapshot()).isEqualTo(s.snapshot());
        assertThat(again.evidence()).isEqualTo(s.evidence());
    }

    /** Windows of any shape (gaps, late buckets, non-unit values) survive the varint form. */
    @Property(tries = 300)
    void windowsRoundTrip(@ForAll @net.jqwik.api.constraints.Size(max = 100) java.util.List<@net.jqwik.api.constraints.LongRange(min = -1_000_000, max = 10_000_000) Long> times,
                          @ForAll boolean counting) {
        WindowBuckets w = new WindowBuckets(1_000);
        for (long t : times) {
            w.add(t, counting ? 1 : t % 13, "");
        }
        StateCodec.Writer out = new StateCodec.Writer(16);
        w.write(out);
        WindowBuckets back = WindowBuckets.read(new StateCodec.Reader(out.toBytes()));
        for (io.nocturne.alert.rules.Aggregate a : io.nocturne.alert.rules.Aggregate.values()) {
            double expected = w.value(a, -2_000_000, 20_000_000, 60_000);
            double actual = back.value(a, -2_000_000, 20_000_000, 60_000);
            assertThat(Double.valueOf(actual)).as("%s", a).isEqualTo(Double.valueOf(expected));
        }
        assertThat(back.size()).isEqualTo(w.size());
    }
}
