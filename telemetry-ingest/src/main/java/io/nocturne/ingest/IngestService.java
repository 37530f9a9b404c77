package io.nocturne.ingest;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;
import io.nocturne.common.kafka.Topic;
import io.nocturne.common.kafka.TopicProvisioner;
import io.nocturne.common.kafka.Topics;
import io.nocturne.ingest.config.FlowProperties;
import io.nocturne.ingest.config.KafkaProperties;
import io.nocturne.ingest.config.ListenerProperties;
import io.nocturne.ingest.config.SnmpProperties;
import io.nocturne.ingest.config.SnmpUserProperties;
import io.nocturne.ingest.config.SyslogProperties;
import io.nocturne.ingest.config.TopicProperties;
import io.nocturne.ingest.decode.DatagramDecoder;
import io.nocturne.ingest.flow.sflow.SflowDatagramDecoder;
import io.nocturne.ingest.flow.sflow.SflowMetrics;
import io.nocturne.ingest.flow.FlowIngest;
import io.nocturne.ingest.listener.DatagramIngestHandler;
import io.nocturne.ingest.listener.KernelSocketStats;
import io.nocturne.ingest.listener.Listener;
import io.nocturne.ingest.listener.ListenerMetrics;
import io.nocturne.ingest.listener.MessageIngest;
import io.nocturne.ingest.listener.SourceAllowList;
import io.nocturne.ingest.listener.TcpListener;
import io.nocturne.ingest.listener.UdpListener;
import io.nocturne.ingest.publish.TelemetryPublisher;
import io.nocturne.ingest.snmp.BuiltinOidNames;
import io.nocturne.ingest.snmp.CachingOidNames;
import io.nocturne.ingest.snmp.OidNames;
import io.nocturne.ingest.snmp.mib.MibRegistry;
import io.nocturne.ingest.snmp.ChannelReplies;
import io.nocturne.ingest.snmp.SnmpDatagramDecoder;
import io.nocturne.ingest.snmp.SnmpMessageDecoder;
import io.nocturne.ingest.snmp.SnmpMetrics;
import io.nocturne.ingest.snmp.SnmpReceiverConfig;
import io.nocturne.ingest.syslog.ExporterTimeZones;
import io.nocturne.ingest.syslog.SyslogDatagramDecoder;
import io.nocturne.ingest.syslog.SyslogParseMetrics;
import io.nocturne.ingest.syslog.SyslogDecoder;
import io.nocturne.ingest.tls.ReloadingServerSslContext;
import java.io.IOException;
import java.nio.file.Path;
import jakarta.annotation.PreDestroy;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts ingest: waits for Kafka (saying so while it is unreachable), creates missing
 * topics, then binds every enabled listener. Stops them in reverse on shutdown, flushing
 * what the producer still holds.
 */
@Context
public class IngestService {

    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);

    private final KafkaProperties kafka;
    private final List<ListenerProperties> listenerConfigs;
    private final SyslogProperties syslog;
    private final MeterRegistry registry;
    private final Map<String, Topic> topics;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    /** Kept referenced here: Micrometer's function meters hold their state weakly. */
    private final List<KernelSocketStats> kernelSocketStats = new CopyOnWriteArrayList<>();
    /** TLS contexts by listener name, loaded at start so a bad certificate fails the start. */
    private final Map<String, ReloadingServerSslContext> tlsContexts = new HashMap<>();
    private final Thread starter;
    private volatile TelemetryPublisher publisher;
    private volatile boolean kafkaReady;
    private volatile boolean stopping;
    private volatile String startFailure;
    /** SNMP trap listeners' engine, communities and users (validated at construction). */
    private final SnmpReceiverConfig snmp;
    /** nocturne.ingest.snmp.mib-dirs: operator MIB directories. */
    private final List<String> mibDirs;
    /** nocturne.ingest.flow.*: shared by every netflow listener. */
    private final FlowProperties flow;
    private volatile FlowIngest flowIngest;

    public IngestService(KafkaProperties kafka, List<ListenerProperties> listenerConfigs,
                         List<TopicProperties> topicOverrides, SyslogProperties syslog, MeterRegistry registry,
                         SnmpProperties snmp, List<SnmpUserProperties> snmpUsers, FlowProperties flow) {
        this.kafka = kafka;
        this.flow = flow;
        try {
            this.snmp = SnmpReceiverConfig.from(snmp, snmpUsers, Optional.ofNullable(System.getenv("HOSTNAME"))
                    .orElse("ingest"), java.time.Instant.now());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
        this.mibDirs = List.copyOf(snmp.getMibDirs() == null ? List.of() : snmp.getMibDirs());
        this.listenerConfigs = listenerConfigs;
        this.syslog = syslog;
        this.registry = registry;
        this.topics = resolveTopics(topicOverrides);
        validate();
        Gauge.builder("nocturne.ingest.kafka.ready", this, s -> s.kafkaReady ? 1 : 0)
                .description("1 once Kafka answered and the topics exist").register(registry);
        this.starter = new Thread(this::start, "ingest-start");
        this.starter.setDaemon(true);
        this.starter.start();
    }

    static Map<String, Topic> resolveTopics(List<TopicProperties> overrides) {
        Map<String, Topic> defaults = new LinkedHashMap<>();
        defaults.put("syslog", Topics.SYSLOG);
        defaults.put("traps", Topics.TRAPS);
        defaults.put("flows", Topics.FLOWS);
        defaults.put("counters", Topics.COUNTERS);
        defaults.put("flow-templates", Topics.FLOW_TEMPLATES);
        defaults.put("deadletter", Topics.DEADLETTER);
        try {
            return Topics.resolve(defaults, overrides.stream().map(TopicProperties::toOverride).toList());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
    }

    /** Fails the start, naming the key, for a listener configuration that cannot work. */
    private void validate() {
        for (ListenerProperties l : listenerConfigs) {
            String key = "nocturne.ingest.listeners." + l.getName();
            String protocol = l.getProtocol().toLowerCase(Locale.ROOT);
            if (!"syslog".equals(protocol) && !"snmp".equals(protocol) && !"sflow".equals(protocol)
                    && !"netflow".equals(protocol)) {
                throw new ConfigurationException(key + ".protocol: '" + l.getProtocol()
                        + "' is not a protocol this version of ingest decodes (syslog, snmp, netflow, sflow)");
            }
            String transport = l.getTransport().toLowerCase(Locale.ROOT);
            if ("sflow".equals(protocol) && !"udp".equals(transport)) {
                throw new ConfigurationException(key + ".transport: sFlow is received over udp only");
            }
            if ("netflow".equals(protocol) && !"udp".equals(transport) && !"tcp".equals(transport)) {
                throw new ConfigurationException(key + ".transport: flows are received over udp (NetFlow v5/v9, IPFIX)"
                        + " or tcp (IPFIX, RFC 7011 §10.4)");
            }
            if ("snmp".equals(protocol) && !"udp".equals(transport)) {
                throw new ConfigurationException(key + ".transport: SNMP traps are received over udp only");
            }
            if (!"udp".equals(transport) && !"tcp".equals(transport) && !"tls".equals(transport)) {
                throw new ConfigurationException(key + ".transport: '" + l.getTransport()
                        + "' is not supported by this version of ingest (udp, tcp, tls)");
            }
            if ("tls".equals(transport) && l.isEnabled()) {
                if (l.getTlsCertFile() == null || l.getTlsCertFile().isBlank()
                        || l.getTlsKeyFile() == null || l.getTlsKeyFile().isBlank()) {
                    throw new ConfigurationException(key + ".tls-cert-file and " + key
                            + ".tls-key-file: both are required for transport tls");
                }
                try {
                    tlsContexts.put(l.getName(), new ReloadingServerSslContext(Path.of(l.getTlsCertFile()),
                            Path.of(l.getTlsKeyFile()), l.getTlsCaFile() == null || l.getTlsCaFile().isBlank() ? null
                                    : Path.of(l.getTlsCaFile()),
                            ReloadingServerSslContext.ClientAuthMode.parse(l.getTlsClientAuth())));
                } catch (IOException | IllegalArgumentException e) {
                    throw new ConfigurationException(key + ".tls-*: " + e.getMessage());
                }
            }
            if (l.getMaxConnections() < 1) {
                throw new ConfigurationException(key + ".max-connections: must be >= 1, was " + l.getMaxConnections());
            }
            try {
                SourceAllowList.parse(l.getAllowedSources());
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(key + ".allowed-sources: " + e.getMessage());
            }
            if (l.getIdleTimeout() == null || l.getIdleTimeout().isNegative()) {
                throw new ConfigurationException(key + ".idle-timeout: must be a duration >= 0");
            }
            if (l.getDatagramsPerRead() < 1 || l.getDatagramsPerRead() > 1024) {
                throw new ConfigurationException(key + ".datagrams-per-read: must be 1..1024, was " + l.getDatagramsPerRead());
            }
            if (l.getPort() < 0 || l.getPort() > 65535) {
                throw new ConfigurationException(key + ".port: " + l.getPort() + " is not a port number");
            }
            // RFC 5426 §3.2 / RFC 6587: receivers take at least 480 octets; a UDP datagram
            // carries at most 65,535; a TCP frame is bounded by what a Kafka record may hold.
            int maxAllowed = "udp".equals(l.getTransport().toLowerCase(Locale.ROOT)) ? 65_535 : 1_000_000;
            if (l.getMaxMessageBytes() < 480 || l.getMaxMessageBytes() > maxAllowed) {
                throw new ConfigurationException(key + ".max-message-bytes: must be 480.." + maxAllowed + " for "
                        + l.getTransport() + ", was " + l.getMaxMessageBytes());
            }
        }
        try {
            FlowIngest.samplingRates(flow);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("nocturne.ingest.flow.sampling-overrides: " + e.getMessage());
        }
        try {
            ZoneId.of(syslog.getTimezone());
        } catch (DateTimeException e) {
            throw new ConfigurationException("nocturne.ingest.syslog.timezone: " + e.getMessage());
        }
        try {
            ExporterTimeZones.parse(syslog.getExporterTimezones(), ZoneId.of(syslog.getTimezone()));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("nocturne.ingest.syslog.exporter-timezones: " + e.getMessage());
        }
    }

    private void start() {
        Map<String, Object> clientConfig = Map.of("bootstrap.servers", kafka.getBootstrapServers());
        LOG.info("connecting to Kafka at {}", kafka.getBootstrapServers());
        boolean ready = new TopicProvisioner(clientConfig).awaitReady(List.copyOf(topics.values()), () -> !stopping);
        if (!ready) {
            return;
        }
        kafkaReady = true;
        int pauseAbove = Math.max(1, kafka.getMaxInFlightRecords());
        publisher = new TelemetryPublisher(createProducer(), topics.get("deadletter"), registry, pauseAbove,
                Math.max(1, pauseAbove / 4));
        publisher.warmUp(topics.values().stream().map(Topic::name).distinct().toList(), java.time.Duration.ofSeconds(30));
        SyslogDecoder syslogDecoder = new SyslogDecoder(ZoneId.of(syslog.getTimezone()), Clock.systemUTC());
        OidNames oidNames = null;
        for (ListenerProperties l : listenerConfigs) {
            if (oidNames == null && l.isEnabled() && "snmp".equals(l.getProtocol().toLowerCase(Locale.ROOT))) {
                // Shipped MIBs plus the operator's; a bad file is logged (file:line: reason)
                // and the others still load. The built-in table answers first for the few
                // objects (SNMP-COMMUNITY-MIB) the shipped set does not name.
                oidNames = new CachingOidNames(OidNames.firstOf(BuiltinOidNames.INSTANCE, MibRegistry.load(
                        mibDirs.stream().map(java.nio.file.Path::of).toList())), 100_000);
            }
        }
        for (ListenerProperties l : listenerConfigs) {
            if (!l.isEnabled() || stopping) {
                continue;
            }
            boolean isSnmp = "snmp".equals(l.getProtocol().toLowerCase(Locale.ROOT));
            if ("netflow".equals(l.getProtocol().toLowerCase(Locale.ROOT)) && flowIngest == null) {
                // Templates are read back from Kafka before the first flow listener binds.
                flowIngest = FlowIngest.start(flow, kafka.getBootstrapServers(), topics.get("flow-templates"),
                        publisher, registry);
                // Records of any flow listener (sFlow too) that Kafka never stores, by exporter.
                publisher.onLoss(topics.get("flows").name(), flowIngest.metrics()::notStored);
            }
            ChannelReplies snmpReplies = isSnmp ? new ChannelReplies() : null;
            DatagramDecoder decoder = "sflow".equals(l.getProtocol().toLowerCase(Locale.ROOT))
                    ? new SflowDatagramDecoder(topics.get("flows"), topics.get("counters"), new SflowMetrics(registry, l.getName()))
                    : "netflow".equals(l.getProtocol().toLowerCase(Locale.ROOT))
                    ? flowIngest.decoder(topics.get("flows")) : isSnmp ? new SnmpDatagramDecoder(l.getName(), new SnmpMessageDecoder(
                    snmp.engineId(), snmp.engineBoots(), snmp.communities(), snmp.users(), oidNames),
                    topics.get("traps"), new SnmpMetrics(registry, l.getName()), snmpReplies)
                    : new SyslogDatagramDecoder(syslogDecoder, topics.get("syslog"), ExporterTimeZones.parse(
                    syslog.getExporterTimezones(), ZoneId.of(syslog.getTimezone())),
                    new SyslogParseMetrics(registry, l.getName()));
            MessageIngest ingest = new MessageIngest(l.getName(), decoder, publisher,
                    new ListenerMetrics(registry, l.getName(), decoder.protocol()), l.getMaxMessageBytes(),
                    SourceAllowList.parse(l.getAllowedSources()));
            try {
                if ("netflow".equals(l.getProtocol().toLowerCase(Locale.ROOT))
                        && "tcp".equals(l.getTransport().toLowerCase(Locale.ROOT))) {
                    listeners.add(io.nocturne.ingest.flow.ipfix.IpfixTcpListener.bind(l.getName(), l.getBindAddress(),
                            l.getPort(), l.getThreads(), l.getMaxConnections(), l.getIdleTimeout(),
                            l.getMaxMessageBytes(), l.isKeepRaw(), ingest, Clock.systemUTC()));
                } else if (!"udp".equals(l.getTransport().toLowerCase(Locale.ROOT))) {
                    listeners.add(TcpListener.bind(l.getName(), l.getBindAddress(), l.getPort(), l.getThreads(),
                            l.getMaxConnections(), l.getIdleTimeout(), l.getMaxMessageBytes(), l.isKeepRaw(), ingest,
                            Clock.systemUTC(), tlsContexts.get(l.getName()), l.getTlsReloadInterval()));
                } else {
                    io.netty.channel.ChannelHandler handler = new DatagramIngestHandler(ingest, l.isKeepRaw(),
                            Clock.systemUTC(), UdpListener.slotBytes(l.getDatagramsPerRead(), l.getMaxMessageBytes()));
                    UdpListener udp = UdpListener.bind(l.getName(), l.getBindAddress(), l.getPort(), l.getSockets(),
                            l.getReceiveBufferBytes(), l.getDatagramsPerRead(), l.getMaxMessageBytes(),
                            snmpReplies == null ? handler : snmpReplies.wrap(handler));
                    listeners.add(udp);
                    KernelSocketStats kernelStats = KernelSocketStats.register(registry, l.getName(), decoder.protocol(),
                            udp.localAddress().getPort());
                    if (kernelStats != null) {
                        kernelSocketStats.add(kernelStats); // meters hold their state weakly
                    } else {
                        LOG.warn("listener {}: the kernel does not list udp port {} in /proc/net/udp; "
                                + "nocturne_ingest_kernel_drops_total is not exported (see the system-wide "
                                + "Udp RcvbufErrors in /proc/net/snmp)", l.getName(), udp.localAddress().getPort());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                startFailure = "listener " + l.getName() + " cannot bind " + l.getBindAddress() + ":" + l.getPort()
                        + ": " + e.getMessage();
                LOG.error("{} (ports below 1024 need root or CAP_NET_BIND_SERVICE; see the README)", startFailure);
            }
        }
        LOG.info("ingest ready: {}", describeListeners());
    }

    private KafkaProducer<byte[], byte[]> createProducer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // 20 ms fills batches at high rates (300k flows/s: ~40 % less broker CPU per record than
        // at 5 ms, which decided zero loss on two shared cores) for at most 20 ms more latency.
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        // Never stall an event loop for long: a full buffer sheds (counted) after this.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 250);
        // Keep metadata of quiet topics (the dead-letter topic) so a rare send does not block.
        config.put(ProducerConfig.METADATA_MAX_IDLE_CONFIG, 24 * 3600 * 1000);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "nocturne-ingest");
        config.putAll(kafka.producerSettings());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // Keys are the exporter address as UTF-8, already bytes (TelemetryPublisher): the same
        // bytes, so the same partitions, as the String keys before.
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    public boolean isKafkaReady() {
        return kafkaReady;
    }

    public Optional<String> startFailure() {
        return Optional.ofNullable(startFailure);
    }

    /** Bound listeners by name, for health and for the launcher's banner. */
    public Map<String, InetSocketAddress> boundListeners() {
        Map<String, InetSocketAddress> out = new HashMap<>();
        for (Listener l : listeners) {
            out.put(l.name(), l.localAddress());
        }
        return out;
    }

    public boolean allListenersUp() {
        long enabled = listenerConfigs.stream().filter(ListenerProperties::isEnabled).count();
        return kafkaReady && listeners.size() == enabled && listeners.stream().allMatch(Listener::isOpen);
    }

    public Map<String, Topic> topics() {
        return topics;
    }

    private String describeListeners() {
        List<String> parts = new ArrayList<>();
        for (Listener l : listeners) {
            parts.add(l.name() + "=" + l.transport() + "/" + l.localAddress().getPort());
        }
        return String.join(", ", parts);
    }

    @PreDestroy
    void stop() {
        stopping = true;
        starter.interrupt();
        for (Listener l : listeners) {
            l.close();
        }
        listeners.clear();
        FlowIngest f = flowIngest;
        if (f != null) {
            f.close();
        }
        TelemetryPublisher p = publisher;
        if (p != null) {
            p.close();
        }
    }
}
