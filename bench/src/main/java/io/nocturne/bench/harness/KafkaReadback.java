package io.nocturne.bench.harness;

import io.nocturne.common.kafka.ProtobufSerde;
import io.nocturne.telemetry.v1.TelemetryEvent;
import java.time.Duration;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the run's events back from Kafka, from the topic's end as it was before the first
 * send, and times each against the send time in its {@link Marker}:
 * <ul>
 *   <li>send → ingest receive: the event's {@code receive_time_unix_nanos};</li>
 *   <li>send → read back: when this consumer saw it, an upper bound of send → Kafka append
 *       (it adds the consumer's fetch delay, at most {@code fetch.max.wait.ms} = 20 ms here).</li>
 * </ul>
 * Latencies go into HdrHistograms (1 µs .. 1 h, 3 significant digits).
 */
public final class KafkaReadback implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final org.apache.kafka.common.serialization.Deserializer<TelemetryEvent> events =
            ProtobufSerde.protobuf(TelemetryEvent.getDefaultInstance()).deserializer();
    private final boolean fast;
    private final boolean deferred;
    private final byte[] markerPrefix;
    /** The topic carries flow records (FlowMix markers), not text. */
    private final boolean flows;
    private final byte[] runTag;
    private final String topic;
    private final String run;
    private final EpochClock clock;
    private final BitSet seen = new BitSet();
    private final Histogram toIngest = new Histogram(TimeUnit.HOURS.toNanos(1), 3);
    private final Histogram toReadback = new Histogram(TimeUnit.HOURS.toNanos(1), 3);
    private final Histogram ingestToReadback = new Histogram(TimeUnit.HOURS.toNanos(1), 3);
    private volatile long markerTimeBase;
    private long received;
    private long duplicates;
    private long foreign;
    private long lastProgressNanos = System.nanoTime();
    private long lastArrivalNanoTime;

    public KafkaReadback(String bootstrapServers, String topic, String run, EpochClock clock) {
        this(bootstrapServers, topic, run, clock, false);
    }

    /**
     * @param fast read only what the accounting needs: the marker, found in the record's raw
     *             bytes, and the receive time, read from the event's top-level field, without
     *             decoding whole events (the harness shares the CPU with what it measures;
     *             falls back to a full decode for a record it cannot read that way, e.g. JSON)
     */
    public KafkaReadback(String bootstrapServers, String topic, String run, EpochClock clock, boolean fast) {
        this(bootstrapServers, topic, run, clock, fast, false, false);
    }

    /**
     * @param deferred the records are read only after the run (the Kafka-leg latencies would
     *                 measure the harness's wait, so only send → ingest receive is recorded)
     * @param flows    the run sends flows ({@link FlowMix}): the fast path reads markers from
     *                 the FlowRecord's fields instead of looking for marker text
     */
    public KafkaReadback(String bootstrapServers, String topic, String run, EpochClock clock, boolean fast,
                         boolean deferred, boolean flows) {
        this.fast = fast;
        this.deferred = deferred;
        this.topic = topic;
        this.markerPrefix = (Marker.PREFIX + run + ":").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        this.flows = flows;
        this.runTag = FlowMix.runTag(run);
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Few, larger fetches: the harness must not load the broker it measures.
        config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 64 * 1024);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        if (fast) {
            config.put(ConsumerConfig.CHECK_CRCS_CONFIG, false); // the broker validated them on append
        }
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.run = run;
        this.clock = clock;
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " has no partitions (does it exist?)");
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // fix the start now, before anything is sent
    }

    /** Polls once; returns how many of this run's records arrived. */
    public int pollOnce(Duration timeout) {
        int n = 0;
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
            long now = clock.epochNanos();
            long receiveNanos = -1;
            Marker m = null;
            if (fast && r.value() != null) {
                receiveNanos = receiveTime(r.value());
                m = receiveNanos < 0 ? null : flows ? flowMarker(r.value(), runTag, run) : findMarker(r.value());
                if (m == null && receiveNanos >= 0) {
                    foreign++;
                    continue;
                }
            }
            if (m == null) {
                TelemetryEvent e = r.value() == null ? null : events.deserialize(topic, r.headers(), r.value());
                m = e == null ? null : markerOf(e, run);
                if (m == null) {
                    foreign++;
                    continue;
                }
                receiveNanos = e.getReceiveTimeUnixNanos();
            }
            if (m.seq() > Integer.MAX_VALUE || seen.get((int) m.seq())) {
                duplicates++;
                continue;
            }
            seen.set((int) m.seq());
            received++;
            n++;
            long sent = m.sendEpochNanos() + markerTimeBase;
            toIngest.recordValue(clamp(receiveNanos - sent));
            if (!deferred) {
                toReadback.recordValue(clamp(now - sent));
                ingestToReadback.recordValue(clamp(now - receiveNanos));
            }
        }
        if (n > 0) {
            lastProgressNanos = System.nanoTime();
            lastArrivalNanoTime = lastProgressNanos;
        }
        return n;
    }

    /** TelemetryEvent field 5 (receive_time_unix_nanos), skipping the others; -1 if not protobuf. */
    static long receiveTime(byte[] value) {
        try {
            com.google.protobuf.CodedInputStream in = com.google.protobuf.CodedInputStream.newInstance(value);
            int tag;
            while ((tag = in.readTag()) != 0) {
                if (tag == (5 << 3)) {
                    return in.readInt64();
                }
                if (!in.skipField(tag)) {
                    return -1;
                }
            }
            return -1;
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    /**
     * The {@link FlowMix} marker of a serialized TelemetryEvent whose body is a FlowRecord
     * (field 12), read field by field without building the event: source address (9) = the
     * run's tag, packets (15) = seq, flow start (6) = send time; for sFlow (protocol 1 = 5)
     * seq in the destination address (10) and the send time in the ports (11, 12). Null when
     * it is not this run's flow.
     */
    static Marker flowMarker(byte[] value, byte[] runTag, String run) {
        try {
            com.google.protobuf.CodedInputStream in = com.google.protobuf.CodedInputStream.newInstance(value);
            int tag;
            while ((tag = in.readTag()) != 0) {
                if (tag != (12 << 3 | 2)) {
                    if (!in.skipField(tag)) {
                        return null;
                    }
                    continue;
                }
                int limit = in.pushLimit(in.readRawVarint32());
                boolean ours = false;
                int protocol = 0;
                long packets = 0;
                long start = 0;
                long dst = -1;
                int srcPort = 0;
                int dstPort = 0;
                while ((tag = in.readTag()) != 0) {
                    switch (tag) {
                        case 1 << 3 -> protocol = in.readEnum();
                        case 6 << 3 -> start = in.readInt64();
                        case 9 << 3 | 2 -> ours = java.util.Arrays.equals(in.readByteArray(), runTag);
                        case 10 << 3 | 2 -> {
                            byte[] a = in.readByteArray();
                            dst = a.length == 4 ? java.nio.ByteBuffer.wrap(a).getInt() & 0xFFFFFFFFL : -1;
                        }
                        case 11 << 3 -> srcPort = in.readUInt32();
                        case 12 << 3 -> dstPort = in.readUInt32();
                        case 15 << 3 -> packets = in.readUInt64();
                        default -> {
                            if (!in.skipField(tag)) {
                                return null;
                            }
                        }
                    }
                }
                in.popLimit(limit);
                if (!ours) {
                    return null;
                }
                if (protocol == io.nocturne.telemetry.v1.FlowRecord.Protocol.PROTOCOL_SFLOW_V5_VALUE) {
                    long sent = FlowMix.sflowSendMillis(srcPort, dstPort, System.currentTimeMillis());
                    return dst < 0 ? null : new Marker(run, dst, sent * 1_000_000L);
                }
                return new Marker(run, packets, start);
            }
            return null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** The marker in a syslog message, or in a trap's marker varbind ({@link TrapMix#MARKER_OID}). */
    static Marker markerOf(TelemetryEvent e, String run) {
        if (e.hasSyslog()) {
            return Marker.find(e.getSyslog().getMessage(), run);
        }
        if (e.hasFlow()) {
            io.nocturne.telemetry.v1.FlowRecord f = e.getFlow();
            // FlowMix: source = the run's tag, packets = seq, flow start = send time (ms).
            if (java.util.Arrays.equals(f.getSrcAddress().toByteArray(), FlowMix.runTag(run))) {
                if (f.getProtocol() == io.nocturne.telemetry.v1.FlowRecord.Protocol.PROTOCOL_SFLOW_V5) {
                    // sFlow: seq in the destination address, send time in the ports.
                    long seq = java.nio.ByteBuffer.wrap(f.getDstAddress().toByteArray()).getInt() & 0xFFFFFFFFL;
                    long sent = FlowMix.sflowSendMillis(f.getSrcPort(), f.getDstPort(), System.currentTimeMillis());
                    return new Marker(run, seq, sent * 1_000_000L);
                }
                return new Marker(run, f.getPackets(), f.getFlowStartUnixNanos());
            }
            return null;
        }
        if (e.hasTrap()) {
            for (io.nocturne.telemetry.v1.VarBind v : e.getTrap().getVarbindsList()) {
                if (TrapMix.MARKER_OID.equals(v.getOid())) {
                    return Marker.find(v.getOctets().toStringUtf8(), run);
                }
            }
        }
        return null;
    }

    /** This run's marker ({@code nbm:<run>:<seq>:<nanos>}) in the record's bytes, or null. */
    Marker findMarker(byte[] value) {
        int at = indexOf(value, markerPrefix);
        if (at < 0) {
            return null;
        }
        int i = at + markerPrefix.length;
        long seq = 0;
        int digits = 0;
        for (; i < value.length && value[i] >= '0' && value[i] <= '9'; i++, digits++) {
            seq = seq * 10 + (value[i] - '0');
        }
        if (digits == 0 || i >= value.length || value[i] != ':') {
            return null;
        }
        long nanos = 0;
        digits = 0;
        for (i++; i < value.length && value[i] >= '0' && value[i] <= '9' && digits < 19; i++, digits++) {
            nanos = nanos * 10 + (value[i] - '0');
        }
        return digits == 0 ? null : new Marker(run, seq, nanos);
    }

    /** Last occurrence: the marker ends the message text, which sits near the end of the event. */
    private static int indexOf(byte[] haystack, byte[] needle) {
        byte first = needle[0];
        outer:
        for (int i = haystack.length - needle.length; i >= 0; i--) {
            if (haystack[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static long clamp(long nanos) {
        return Math.max(1, Math.min(nanos, TimeUnit.HOURS.toNanos(1)));
    }

    /**
     * Added to every marker's send time: for messages encoded before the run started
     * ({@link TrapMix#preEncodeV3}), whose markers carry their planned offset from its start.
     */
    public void markerTimeBase(long epochNanos) {
        markerTimeBase = epochNanos;
    }

    /** Reads until {@code expected} arrived or nothing new came for {@code idle}. */
    public void drain(long expected, Duration idle) {
        lastProgressNanos = System.nanoTime();
        while (received < expected && System.nanoTime() - lastProgressNanos < idle.toNanos()) {
            pollOnce(Duration.ofMillis(100));
        }
    }

    /** {@code System.nanoTime()} when the last new record of the run arrived. */
    public long lastArrivalNanoTime() {
        return lastArrivalNanoTime;
    }

    public long received() {
        return received;
    }

    public long duplicates() {
        return duplicates;
    }

    /** Records on the topic that were not this run's (other traffic). */
    public long foreign() {
        return foreign;
    }

    public Histogram sendToIngest() {
        return toIngest;
    }

    /** Ingest receive → read back: the Kafka leg (publish, append, fetch) alone. */
    public Histogram ingestToReadback() {
        return ingestToReadback;
    }

    public Histogram sendToReadback() {
        return toReadback;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
