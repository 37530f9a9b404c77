package io.nocturne.ingest.flow;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.MeterRegistry;
import io.nocturne.common.event.EventIds;
import io.nocturne.common.kafka.Topic;
import io.nocturne.ingest.config.FlowProperties;
import io.nocturne.ingest.flow.template.KafkaTemplateStore;
import io.nocturne.ingest.flow.template.TemplateCache;
import io.nocturne.ingest.flow.template.TemplateSink;
import io.nocturne.ingest.publish.TelemetryPublisher;
import io.nocturne.telemetry.v1.DeadLetter;
import io.nocturne.telemetry.v1.Endpoint;
import io.nocturne.telemetry.v1.Transport;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flow state one ingest instance shares across its NetFlow/IPFIX listeners: the template
 * cache (read back from {@code nocturne.flow-templates} before any listener binds, then
 * followed for what other instances learn, and published to), learned sampling rates, held
 * data sets, and their metrics.
 */
public final class FlowIngest implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FlowIngest.class);

    private final FlowPacketDecoder decoder;
    private final FlowMetrics metrics;
    private final KafkaProducer<String, byte[]> templateProducer;

    private final java.util.concurrent.ScheduledExecutorService sweeper;

    private final KafkaTemplateStore.Follower follower;

    private FlowIngest(FlowPacketDecoder decoder, FlowMetrics metrics, KafkaProducer<String, byte[]> templateProducer,
                       KafkaTemplateStore.Follower follower) {
        this.decoder = decoder;
        this.metrics = metrics;
        this.follower = follower;
        this.templateProducer = templateProducer;
        this.sweeper = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "flow-pending-expiry");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                decoder.expirePending(now());
            } catch (RuntimeException e) {
                LOG.warn("held flow data not expired: {}", e.toString());
            }
        }, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    /**
     * @throws IllegalArgumentException for a bad sampling override (naming it)
     */
    public static SamplingRates samplingRates(FlowProperties p) {
        return SamplingRates.withOverrides(p.getSamplingOverrides());
    }

    public static FlowIngest start(FlowProperties p, String bootstrapServers, Topic templates,
                                   TelemetryPublisher publisher, MeterRegistry registry) {
        FlowMetrics metrics = new FlowMetrics(registry, p.getExporterLabelLimit());
        KafkaProducer<String, byte[]> producer = null;
        TemplateSink sink = TemplateSink.NONE;
        if (p.isShareTemplates()) {
            Map<String, Object> config = new HashMap<>();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 250);
            config.put(ProducerConfig.CLIENT_ID_CONFIG, "nocturne-ingest-templates");
            producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
            sink = new KafkaTemplateStore(producer, templates.name());
        }
        TemplateCache cache = new TemplateCache(p.getMaxTemplatesPerExporter(), p.getMaxTemplates(),
                p.getTemplateTimeout() == null ? 0 : p.getTemplateTimeout().toNanos(), sink,
                metrics.templateRemovals());
        KafkaTemplateStore.Follower follower = null;
        if (p.isShareTemplates()) {
            follower = KafkaTemplateStore.Follower.start(bootstrapServers, templates.name(), cache, FlowIngest::now);
            try {
                if (!follower.awaitCaughtUp(Duration.ofSeconds(30))) {
                    LOG.warn("flow templates not all read back from {} within 30 s; listening anyway",
                            templates.name());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            LOG.info("flow templates read back from {}: {}", templates.name(), follower.restored());
        }
        PendingSets pending = new PendingSets(p.getPendingMaxSets(),
                p.getPendingTimeout() == null ? 0 : p.getPendingTimeout().toNanos());
        metrics.bind(cache, pending);
        FlowPacketDecoder decoder = new FlowPacketDecoder(cache, samplingRates(p), pending, metrics,
                deadLetters(publisher));
        return new FlowIngest(decoder, metrics, producer, follower);
    }

    private static long now() {
        java.time.Instant i = java.time.Instant.now();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    /** The flow listeners' per-exporter accounting. */
    public FlowMetrics metrics() {
        return metrics;
    }

    /** A held data set whose template never came, as a dead letter (REASON_MISSING_STATE). */
    static Consumer<PendingSets.Held> deadLetters(TelemetryPublisher publisher) {
        return h -> publisher.deadLetter(DeadLetter.newBuilder()
                .setEventId(EventIds.newId(h.header().receiveNanos() / 1_000_000L))
                .setExporter(Endpoint.newBuilder().setAddress(h.header().exporter()))
                .setTransport(Transport.TRANSPORT_UDP)
                .setReceiveTimeUnixNanos(h.header().receiveNanos())
                .setReason(DeadLetter.Reason.REASON_MISSING_STATE)
                .setDetail(FlowMetrics.label(h.header().protocol()) + " data set for template " + h.key().topicKey()
                        + " (sequence " + h.header().sequence() + "): template not received in time")
                .setProtocol("netflow")
                .setRaw(ByteString.copyFrom(h.body()))
                .setRawLength(h.body().length)
                .build());
    }

    public FlowDatagramDecoder decoder(Topic flows) {
        return new FlowDatagramDecoder(decoder, flows);
    }

    public FlowPacketDecoder packetDecoder() {
        return decoder;
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        if (follower != null) {
            follower.close();
        }
        if (templateProducer != null) {
            templateProducer.close(Duration.ofSeconds(5));
        }
    }

}
