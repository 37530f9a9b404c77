package io.nocturne.ingest.flow.sflow;

import static io.nocturne.ingest.flow.sflow.SflowEncoder.counterSample;
import static io.nocturne.ingest.flow.sflow.SflowEncoder.datagram;
import static io.nocturne.ingest.flow.sflow.SflowEncoder.ethernetCounters;
import static io.nocturne.ingest.flow.sflow.SflowEncoder.expandedFlowSample;
import static io.nocturne.ingest.flow.sflow.SflowEncoder.extendedGateway;
import static io.nocturne.ingest.flow.sflow.SflowEncoder.extendedRouter;
import static io.nocturne.ingest.flow.sflow.SflowEncoder.extendedSwitch;
import static io.nocturne.ingest.flow.sflow.SflowEncoder.flowSample;
import static io.nocturne.ingest.flow.sflow.SflowEncoder.genericInterface;
import static io.nocturne.ingest.flow.sflow.SflowEncoder.rawHeader;
import static io.nocturne.ingest.flow.sflow.SflowEncoder.sampledIp;
import static org.assertj.core.api.Assertions.assertThat;

import io.nocturne.ingest.decode.DecodeResult;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Whatever arrives, the decoder answers with a value or a reason, never an exception. */
class SflowDecoderPropertiesTest {

    private final SflowDecoder decoder = new SflowDecoder();

    private static final byte[] VALID = datagram("2001:db8::1", 3, 100, 5000,
            flowSample(1, 0, 3, 256, 1000, 2, 1, 2,
                    rawHeader(1, 1514, 4, Packets.ethernet(0x86DD, Packets.ipv6(0, 1, 0, 64, "2001:db8::1",
                            "2001:db8::2", Packets.extension(44, 0, Packets.fragment(6, 0, true,
                                    Packets.tcp(1, 2, 0x10)))), 0x88A8, 100, 0x8100, 200)),
                    extendedSwitch(1, 2, 3, 4), extendedRouter("10.0.0.1", 8, 24),
                    extendedGateway("10.0.0.2", 1, 2, 3, 4, 5, 6)),
            expandedFlowSample(2, 0, 5, 10, 10, 0, 0, 1, 0, 2,
                    rawHeader(1, 64, 0, Packets.ethernet(0x8847, Packets.mpls(Packets.ipv4(0, 1, 1, "10.0.0.1",
                            "10.0.0.2", 0, Packets.icmp(3, 1)), 100, 200))),
                    sampledIp(40, 6, "10.0.0.1", "10.0.0.2", 1, 2, 3, 4)),
            counterSample(3, 0, 7, genericInterface(7, 1), ethernetCounters(2)));

    @Property(tries = 2000)
    void randomBytesNeverThrow(@ForAll @Size(max = 600) byte[] bytes) {
        assertThat(decoder.decode(bytes, 0)).isNotNull();
    }

    @Property(tries = 2000)
    void randomBytesBehindAVersion5HeaderNeverThrow(@ForAll @Size(max = 600) byte[] tail) {
        byte[] bytes = SflowEncoder.concat(new byte[] {0, 0, 0, 5, 0, 0, 0, 1, 10, 0, 0, 1}, tail);
        assertThat(decoder.decode(bytes, 0)).isNotNull();
    }

    @Property(tries = 3000)
    void mutatedValidDatagramsNeverThrow(@ForAll("mutations") int[] mutations) {
        byte[] bytes = VALID.clone();
        for (int i = 0; i + 1 < mutations.length; i += 2) {
            bytes[Math.floorMod(mutations[i], bytes.length)] = (byte) mutations[i + 1];
        }
        DecodeResult<SflowDatagram> r = decoder.decode(bytes, 0);
        assertThat(r).isNotNull();
        if (r instanceof DecodeResult.Decoded<SflowDatagram> d) {
            assertThat(d.value().flows().size() + d.value().counters().size()).isLessThanOrEqualTo(bytes.length / 8);
        }
    }

    @Provide
    Arbitrary<int[]> mutations() {
        return Arbitraries.integers().between(0, Integer.MAX_VALUE).array(int[].class).ofMinSize(2).ofMaxSize(12);
    }

    @Property(tries = 200)
    void validDatagramDecodesWhole() {
        DecodeResult<SflowDatagram> r = decoder.decode(VALID, 0);
        assertThat(r).isInstanceOf(DecodeResult.Decoded.class);
        SflowDatagram d = ((DecodeResult.Decoded<SflowDatagram>) r).value();
        assertThat(d.flows()).hasSize(2);
        assertThat(d.counters()).hasSize(1);
        assertThat(d.flows().get(0).getDot1QCustomerVlan()).isEqualTo(200); // the QinQ inner tag; extended switch only sets src/dst VLAN
    }
}
