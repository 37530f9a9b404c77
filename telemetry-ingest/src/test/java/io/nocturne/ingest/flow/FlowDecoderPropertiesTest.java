package io.nocturne.ingest.flow;

import static io.nocturne.ingest.flow.FlowPackets.ipfix;
import static io.nocturne.ingest.flow.FlowPackets.ipv4;
import static io.nocturne.ingest.flow.FlowPackets.set;
import static io.nocturne.ingest.flow.FlowPackets.v9;
import static org.assertj.core.api.Assertions.assertThat;

import io.nocturne.ingest.flow.template.TemplateCache;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Random and mutated export packets never throw past the decoder and never grow state beyond its bounds. */
class FlowDecoderPropertiesTest {

    static final int PER_EXPORTER = 8;
    static final int TOTAL = 20;
    static final int PENDING = 5;

    static FlowPacketDecoder bounded() {
        return new FlowPacketDecoder(new TemplateCache(PER_EXPORTER, TOTAL, 0, null, null), SamplingRates.none(),
                new PendingSets(PENDING, 1_000_000_000L), null, h -> { });
    }

    static final List<byte[]> SEEDS = List.of(
            ipfix(1, 0, 1000, FlowTemplateStateTest.ipfixTemplate256(), FlowTemplateStateTest.ipfixData256(3),
                    set(3, new FlowPackets().u16(500).u16(3).u16(1).u16(302).u16(2).u16(305).u16(4).u16(0x8000 | 7)
                            .u16(0xFFFF).u32(9).bytes()),
                    set(500, new FlowPackets().u16(7).u32(1).u8(2).u16(0).bytes())),
            v9(5, 1, 1000, 1_700_000_000,
                    set(0, new FlowPackets().u16(300).u16(3).u16(8).u16(4).u16(1).u16(4).u16(34).u16(4).bytes()),
                    set(1, new FlowPackets().u16(301).u16(4).u16(8).u16(1).u16(2).u16(34).u16(4).bytes()),
                    set(301, new FlowPackets().u16(1).u32(100).bytes()),
                    set(300, new FlowPackets().raw(ipv4(1, 2, 3, 4)).u32(10).u32(0).raw(ipv4(5, 6, 7, 8)).u32(11)
                            .u32(0).bytes())),
            v9(6, 1, 1000, 1_700_000_000,
                    set(0, new FlowPackets().u16(310).u16(0).u16(311).u16(2).u16(8).u16(0).u16(12).u16(0).bytes()),
                    set(310, new byte[12]), set(311, new byte[12])),
            new FlowPackets().u16(5).u16(1).u32(1000).u32(1_700_000_000).u32(0).u32(9).u16(0).u16(0x4064)
                    .raw(new byte[48]).bytes());

    @Property(tries = 3000)
    void arbitraryBytesAfterAVersionNeverThrow(@ForAll @IntRange(min = 0, max = 2) int v,
                                               @ForAll @Size(max = 400) byte[] body) {
        byte[] packet = new byte[body.length + 2];
        packet[1] = (byte) new int[] {5, 9, 10}[v];
        System.arraycopy(body, 0, packet, 2, body.length);
        assertThat(bounded().decode(packet, "192.0.2.1", 0)).isNotNull();
    }

    @Provide
    Arbitrary<int[]> mutations() {
        return Arbitraries.integers().between(0, 1 << 20).array(int[].class).ofMinSize(1).ofMaxSize(12);
    }

    @Property(tries = 3000)
    void mutatedPacketsNeverThrowAndStateStaysBounded(@ForAll @IntRange(min = 0, max = 3) int seed,
                                                      @ForAll("mutations") int[] edits,
                                                      @ForAll @IntRange(min = 0, max = 30) int exporters) {
        FlowPacketDecoder d = bounded();
        byte[] base = SEEDS.get(seed);
        for (int round = 0; round < 4; round++) {
            byte[] p = base.clone();
            for (int e : edits) {
                p[(e >>> 8) % p.length] ^= (byte) (e + round);
            }
            int cut = edits[0] % 5 == 0 ? (edits[0] >>> 3) % (p.length + 1) : p.length;
            byte[] packet = java.util.Arrays.copyOf(p, cut);
            for (int x = 0; x <= exporters; x++) {
                assertThat(d.decode(packet, "192.0.2." + x, round)).isNotNull();
            }
        }
        assertThat(d.templates().size()).isLessThanOrEqualTo(TOTAL);
        for (int x = 0; x <= exporters; x++) {
            assertThat(d.templates().size("192.0.2." + x)).isLessThanOrEqualTo(PER_EXPORTER);
        }
    }
}
