package io.nocturne.ingest.flow;

import static io.nocturne.ingest.flow.FlowPackets.ipfix;
import static io.nocturne.ingest.flow.FlowPackets.ipv4;
import static io.nocturne.ingest.flow.FlowPackets.set;
import static io.nocturne.ingest.flow.FlowPackets.v9;
import static org.assertj.core.api.Assertions.assertThat;

import io.nocturne.ingest.decode.DecodeResult;
import io.nocturne.ingest.flow.template.Template;
import io.nocturne.ingest.flow.template.TemplateCache;
import io.nocturne.ingest.flow.template.TemplateKey;
import io.nocturne.ingest.flow.template.TemplateSink;
import io.nocturne.telemetry.v1.FlowRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlowTemplateStateTest {

    static final String EXPORTER = "198.51.100.7";
    static final long T0 = 1_700_000_000_000_000_000L;
    static final long SEC = 1_000_000_000L;

    /** IPFIX template 256: src/dst IPv4, octetDeltaCount(8), packetDeltaCount(4 reduced), protocol, selectorId. */
    static byte[] ipfixTemplate256() {
        return set(2, new FlowPackets().u16(256).u16(6)
                .u16(8).u16(4).u16(12).u16(4).u16(1).u16(8).u16(2).u16(4).u16(4).u16(1).u16(302).u16(2).bytes());
    }

    static byte[] ipfixData256(int records) {
        FlowPackets p = new FlowPackets();
        for (int i = 0; i < records; i++) {
            p.raw(ipv4(10, 0, 0, 1)).raw(ipv4(10, 0, 0, 2)).u64(1000 + i).u32(10).u8(6).u16(7);
        }
        return set(256, p.bytes());
    }

    static List<FlowRecord> ok(DecodeResult<List<FlowRecord>> r) {
        assertThat(r).isInstanceOf(DecodeResult.Decoded.class);
        return ((DecodeResult.Decoded<List<FlowRecord>>) r).value();
    }

    @Test
    void dataBeforeItsTemplateIsHeldAndDecodedWhenTheTemplateArrives() {
        FlowPacketDecoder d = new FlowPacketDecoder(TemplateCache.inMemory(), SamplingRates.none(),
                new PendingSets(10, 5 * SEC), null, null);
        assertThat(ok(d.decode(ipfix(1, 0, 1000, ipfixData256(2)), EXPORTER, T0))).isEmpty();
        List<FlowRecord> later = ok(d.decode(ipfix(1, 2, 1001, ipfixTemplate256()), EXPORTER, T0 + SEC));
        assertThat(later).extracting(FlowRecord::getBytes).containsExactly(1000L, 1001L);
        assertThat(later.get(0).getSequenceNumber()).isZero();
    }

    @Test
    void heldDataWhoseTemplateNeverComesIsDeadLettered() {
        List<PendingSets.Held> dead = new ArrayList<>();
        FlowRecordCounter events = new FlowRecordCounter();
        FlowPacketDecoder d = new FlowPacketDecoder(TemplateCache.inMemory(), SamplingRates.none(),
                new PendingSets(2, 5 * SEC), events, dead::add);
        d.decode(ipfix(1, 0, 1000, ipfixData256(1)), EXPORTER, T0);
        d.decode(ipfix(1, 1, 1000, ipfixData256(1)), EXPORTER, T0 + 1);
        d.decode(ipfix(1, 2, 1000, ipfixData256(1)), EXPORTER, T0 + 2); // no room: the oldest goes
        assertThat(dead).hasSize(1);
        d.decode(ipfix(1, 3, 1000), EXPORTER, T0 + 10 * SEC); // the others time out
        assertThat(dead).hasSize(3);
        assertThat(dead.get(0).key()).isEqualTo(new TemplateKey(EXPORTER, 1, 256));
        assertThat(events.misses).isEqualTo(3);
        assertThat(events.expired).isEqualTo(3);
    }

    @Test
    void dropsRecordsWhoseTemplateWasWithdrawn() {
        FlowPacketDecoder d = FlowPacketDecoder.standalone();
        assertThat(ok(d.decode(ipfix(1, 0, 1000, ipfixTemplate256(), ipfixData256(1)), EXPORTER, T0))).hasSize(1);
        // RFC 7011 §8.1: a template record with field count 0 withdraws it.
        d.decode(ipfix(1, 1, 1000, set(2, new FlowPackets().u16(256).u16(0).bytes())), EXPORTER, T0);
        assertThat(d.templates().size()).isZero();
        assertThat(ok(d.decode(ipfix(1, 1, 1000, ipfixData256(1)), EXPORTER, T0))).isEmpty();
    }

    @Test
    void templatesAreScopedByExporterAndDomain() {
        FlowPacketDecoder d = FlowPacketDecoder.standalone();
        d.decode(ipfix(1, 0, 1000, ipfixTemplate256()), EXPORTER, T0);
        assertThat(ok(d.decode(ipfix(2, 0, 1000, ipfixData256(1)), EXPORTER, T0))).isEmpty();
        assertThat(ok(d.decode(ipfix(1, 0, 1000, ipfixData256(1)), "198.51.100.8", T0))).isEmpty();
        assertThat(ok(d.decode(ipfix(1, 0, 1000, ipfixData256(1)), EXPORTER, T0))).hasSize(1);
    }

    @Test
    void templateCountIsBoundedPerExporterAndInTotal() {
        List<TemplateCache.Removal> removed = new ArrayList<>();
        TemplateCache cache = new TemplateCache(3, 5, 0, null, (k, why) -> removed.add(why));
        FlowPacketDecoder d = new FlowPacketDecoder(cache, null, null, null, null);
        for (int id = 256; id < 266; id++) {
            d.decode(ipfix(1, 0, 1000, set(2, new FlowPackets().u16(id).u16(1).u16(8).u16(4).bytes())), EXPORTER,
                    T0 + id);
        }
        assertThat(cache.size(EXPORTER)).isEqualTo(3);
        // The least recently refreshed went first: the three newest remain.
        assertThat(cache.get(new TemplateKey(EXPORTER, 1, 265), T0 + 1000)).isNotNull();
        assertThat(cache.get(new TemplateKey(EXPORTER, 1, 262), T0 + 1000)).isNull();
        for (int e = 0; e < 4; e++) {
            d.decode(ipfix(1, 0, 1000, set(2, new FlowPackets().u16(300).u16(1).u16(8).u16(4).bytes())),
                    "203.0.113." + e, T0 + 2000 + e);
        }
        assertThat(cache.size()).isEqualTo(5);
        assertThat(removed).containsOnly(TemplateCache.Removal.CAPACITY);
    }

    @Test
    void templateNotRefreshedWithinTheTimeoutExpires() {
        TemplateCache cache = new TemplateCache(10, 10, 60 * SEC, null, null);
        FlowPacketDecoder d = new FlowPacketDecoder(cache, null, null, null, null);
        d.decode(ipfix(1, 0, 1000, ipfixTemplate256()), EXPORTER, T0);
        assertThat(ok(d.decode(ipfix(1, 0, 1000, ipfixData256(1)), EXPORTER, T0 + 30 * SEC))).hasSize(1);
        d.decode(ipfix(1, 0, 1000, ipfixTemplate256()), EXPORTER, T0 + 50 * SEC); // a refresh
        assertThat(ok(d.decode(ipfix(1, 0, 1000, ipfixData256(1)), EXPORTER, T0 + 100 * SEC))).hasSize(1);
        assertThat(ok(d.decode(ipfix(1, 0, 1000, ipfixData256(1)), EXPORTER, T0 + 200 * SEC))).isEmpty();
    }

    @Test
    void aTemplateLearnedOverATcpSessionLivesAsLongAsTheSessionAndIsNeverShared() {
        List<String> shared = new ArrayList<>();
        List<TemplateCache.Removal> removed = new ArrayList<>();
        TemplateCache cache = new TemplateCache(10, 10, 60 * SEC, new TemplateSink() {
            @Override
            public void learned(Template template) {
                shared.add("learned " + template.key().topicKey());
            }

            @Override
            public void withdrawn(TemplateKey key) {
                shared.add("withdrawn " + key.topicKey());
            }
        }, (k, why) -> removed.add(why));
        FlowPacketDecoder d = new FlowPacketDecoder(cache, null, null, null, null);
        Object session = new Object();
        Object otherSession = new Object();
        d.decode(ipfix(1, 0, 1000, ipfixTemplate256()), EXPORTER, T0, session);
        // RFC 7011 §8: sent once per connection, never refreshed: no timeout while it is open.
        assertThat(ok(d.decode(ipfix(1, 0, 1000, ipfixData256(2)), EXPORTER, T0 + 3_600 * SEC, session)))
                .hasSize(2);
        assertThat(cache.sessionClosed(otherSession)).isZero();
        assertThat(ok(d.decode(ipfix(1, 0, 1000, ipfixData256(1)), EXPORTER, T0 + 3_601 * SEC, session)))
                .hasSize(1);
        assertThat(cache.sessionClosed(session)).isEqualTo(1);
        assertThat(cache.size()).isZero();
        assertThat(removed).containsExactly(TemplateCache.Removal.SESSION_CLOSED);
        assertThat(ok(d.decode(ipfix(1, 0, 1000, ipfixData256(1)), EXPORTER, T0 + 3_602 * SEC, otherSession)))
                .as("a new connection must send its templates again").isEmpty();
        // A session's withdrawal removes it without a tombstone: it never was on the topic.
        d.decode(ipfix(1, 0, 1000, ipfixTemplate256()), EXPORTER, T0, session);
        d.decode(ipfix(1, 0, 1000, set(2, new FlowPackets().u16(256).u16(0).bytes())), EXPORTER, T0 + SEC, session);
        assertThat(cache.size()).isZero();
        assertThat(shared).as("session templates stay off the shared topic").isEmpty();
        // The same template from a datagram is shared and times out as usual.
        d.decode(ipfix(1, 0, 1000, ipfixTemplate256()), EXPORTER, T0);
        assertThat(shared).containsExactly("learned " + EXPORTER + "/1/256");
        assertThat(ok(d.decode(ipfix(1, 0, 1000, ipfixData256(1)), EXPORTER, T0 + 200 * SEC))).isEmpty();
    }

    @Test
    void replacedTemplateDecodesWithItsNewDefinition() {
        FlowPacketDecoder d = FlowPacketDecoder.standalone();
        d.decode(v9(5, 0, 1000, 1_700_000_000, set(0, new FlowPackets().u16(300).u16(1).u16(2).u16(4).bytes())),
                EXPORTER, T0);
        d.decode(v9(5, 1, 1000, 1_700_000_000, set(0, new FlowPackets().u16(300).u16(1).u16(1).u16(4).bytes())),
                EXPORTER, T0);
        List<FlowRecord> r = ok(d.decode(v9(5, 2, 1000, 1_700_000_000, set(300, new FlowPackets().u32(77).bytes())),
                EXPORTER, T0));
        assertThat(r).singleElement().satisfies(f -> {
            assertThat(f.getBytes()).isEqualTo(77);
            assertThat(f.getPackets()).isZero();
        });
    }

    @Test
    void variableLengthAndEnterpriseFieldsAreReadAndKept() {
        // applicationName (96, variable), an enterprise IE (PEN 9, id 12345, variable, long form),
        // a basicList (291, RFC 6313: not understood, kept), then protocolIdentifier.
        byte[] template = set(2, new FlowPackets().u16(400).u16(4)
                .u16(96).u16(0xFFFF).u16(0x8000 | 12345).u16(0xFFFF).u32(9).u16(291).u16(0xFFFF).u16(4).u16(1).bytes());
        byte[] name = "https".getBytes(StandardCharsets.US_ASCII);
        byte[] longValue = new byte[300];
        longValue[299] = 42;
        byte[] data = set(400, new FlowPackets().u8(name.length).raw(name).u8(255).u16(300).raw(longValue)
                .u8(3).raw(new byte[] {(byte) 0xFF, 0, 1}).u8(17).bytes());
        List<FlowRecord> r = ok(FlowPacketDecoder.standalone().decode(ipfix(1, 0, 1000, template, data), EXPORTER, T0));
        assertThat(r).singleElement().satisfies(f -> {
            assertThat(f.getApplicationName()).isEqualTo("https");
            assertThat(f.getIpProtocol()).isEqualTo(17);
            assertThat(f.getUnknownFields_List()).hasSize(2);
            assertThat(f.getUnknownFields_(0).getEnterprise()).isEqualTo(9);
            assertThat(f.getUnknownFields_(0).getType()).isEqualTo(12345);
            assertThat(f.getUnknownFields_(0).getValue().size()).isEqualTo(300);
            assertThat(f.getUnknownFields_(1).getType()).isEqualTo(291);
        });
    }

    @Test
    void ipfixSelectorOptionsGiveTheSamplingRateBySelectorId() {
        // RFC 7012 / 5477: options template, scope selectorId(302), samplingPacketInterval(305),
        // samplingPacketSpace(306): 1 sampled, 99 skipped = 1 in 100.
        byte[] options = set(3, new FlowPackets().u16(500).u16(3).u16(1)
                .u16(302).u16(2).u16(305).u16(4).u16(306).u16(4).bytes());
        byte[] optionsData = set(500, new FlowPackets().u16(7).u32(1).u32(99).u16(8).u32(1).u32(9).bytes());
        FlowPacketDecoder d = FlowPacketDecoder.standalone();
        List<FlowRecord> r = ok(d.decode(ipfix(1, 0, 1000, options, optionsData, ipfixTemplate256(),
                ipfixData256(1)), EXPORTER, T0));
        assertThat(r).singleElement().satisfies(f -> {
            assertThat(f.getSamplerId()).isEqualTo(7);
            assertThat(f.getSamplingRate()).isEqualTo(100);
            assertThat(f.getSamplingSource()).isEqualTo(FlowRecord.SamplingSource.SAMPLING_SOURCE_OPTIONS);
            assertThat(f.getBytesScaled()).isEqualTo(100_000);
            assertThat(f.getPacketsScaled()).isEqualTo(1000);
        });
    }

    @Test
    void configuredOverrideAppliesWhenThePacketSaysNothing() {
        FlowRecordCounter events = new FlowRecordCounter();
        FlowPacketDecoder d = new FlowPacketDecoder(TemplateCache.inMemory(),
                SamplingRates.withOverrides(List.of("198.51.100.0/24=512")), null, events, null);
        List<FlowRecord> r = ok(d.decode(v9(0, 0, 1000, 1_700_000_000,
                set(0, new FlowPackets().u16(300).u16(1).u16(1).u16(4).bytes()),
                set(300, new FlowPackets().u32(10).bytes())), EXPORTER, T0));
        assertThat(r.get(0).getSamplingRate()).isEqualTo(512);
        assertThat(r.get(0).getSamplingSource()).isEqualTo(FlowRecord.SamplingSource.SAMPLING_SOURCE_CONFIGURED);
        assertThat(r.get(0).getBytesScaled()).isEqualTo(5120);
        List<FlowRecord> other = ok(d.decode(v9(0, 0, 1000, 1_700_000_000,
                set(0, new FlowPackets().u16(300).u16(1).u16(1).u16(4).bytes()),
                set(300, new FlowPackets().u32(10).bytes())), "192.0.2.1", T0));
        assertThat(other.get(0).getSamplingSource()).isEqualTo(FlowRecord.SamplingSource.SAMPLING_SOURCE_UNKNOWN);
        assertThat(other.get(0).getBytesScaled()).isEqualTo(10);
        assertThat(events.unknownSampling).isEqualTo(1);
    }

    @Test
    void sequenceGapsAreCountedInEachVersionsUnits() {
        FlowRecordCounter events = new FlowRecordCounter();
        FlowPacketDecoder d = new FlowPacketDecoder(TemplateCache.inMemory(), null, null, events, null);
        // IPFIX counts data records: 2 records at 0, so 2 is next; 5 means 3 lost.
        d.decode(ipfix(1, 0, 1000, ipfixTemplate256(), ipfixData256(2)), EXPORTER, T0);
        d.decode(ipfix(1, 5, 1000, ipfixData256(1)), EXPORTER, T0);
        assertThat(events.lost).isEqualTo(Map.of(FlowRecord.Protocol.PROTOCOL_IPFIX, 3L));
        // v9 counts packets: 10 then 13 means 2 packets lost; a jump back (restart) is not loss.
        d.decode(v9(5, 10, 1000, 1_700_000_000), EXPORTER, T0);
        d.decode(v9(5, 13, 1000, 1_700_000_000), EXPORTER, T0);
        d.decode(v9(5, 1, 1000, 1_700_000_000), EXPORTER, T0);
        assertThat(events.lost.get(FlowRecord.Protocol.PROTOCOL_NETFLOW_V9)).isEqualTo(2L);
    }

    @Test
    void aTemplateOfZeroLengthFieldsDescribesNoRecords() {
        // v9 allows a field count of 0 and fields of length 0; the data set is then all padding.
        byte[] packet = v9(1, 0, 1000, 1_700_000_000,
                set(0, new FlowPackets().u16(300).u16(0).u16(301).u16(1).u16(8).u16(0).bytes()),
                set(300, new byte[8]), set(301, new byte[8]));
        assertThat(ok(FlowPacketDecoder.standalone().decode(packet, EXPORTER, T0))).isEmpty();
    }

    /** Counts decoder events. */
    static final class FlowRecordCounter implements FlowEvents {
        int misses;
        int expired;
        int unknownSampling;
        final Map<FlowRecord.Protocol, Long> lost = new java.util.HashMap<>();

        @Override
        public void templateMiss(FlowRecord.Protocol protocol, String exporter) {
            misses++;
        }

        @Override
        public void pendingExpired(int sets) {
            expired += sets;
        }

        @Override
        public void unknownSampling(String exporter, int records) {
            unknownSampling += records;
        }

        @Override
        public void sequenceGap(FlowRecord.Protocol protocol, String exporter, long n) {
            lost.merge(protocol, n, Long::sum);
        }
    }
}
