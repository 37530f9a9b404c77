package io.nocturne.kafka.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka cluster (KRaft, broker and controller in one node) running inside this
 * JVM: {@link KafkaRaftServer} from {@code kafka_2.13}, the same server {@code kafka.Kafka}
 * runs. Used by the standalone launcher (data kept in a directory across restarts) and by the
 * tests (a throw-away directory).
 *
 * <p>Internal topics are created with replication factor 1 and min.insync.replicas 1, so
 * idempotent producers, transactions and Kafka Streams exactly-once work on one node.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int BIND_ATTEMPTS = 10;

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final boolean deleteOnClose;
    private final String host;
    private final int brokerPort;
    private volatile boolean closed;

    private EmbeddedKafkaBroker(KafkaRaftServer server, Path dataDir, boolean deleteOnClose, String host, int brokerPort) {
        this.server = server;
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
        this.host = host;
        this.brokerPort = brokerPort;
    }

    /** The {@code bootstrap.servers} value for clients. */
    public String bootstrapServers() {
        return host + ":" + brokerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * Starts a broker that keeps its data in {@code dataDir}; formats the directory only when
     * it was never formatted (a new cluster id over old data would refuse to start).
     *
     * @param brokerPort client port, or 0 for a free one
     * @param extra      broker properties that override the defaults
     */
    public static EmbeddedKafkaBroker start(Path dataDir, String host, int brokerPort, boolean deleteOnClose,
                                            Map<String, String> extra) throws IOException {
        Files.createDirectories(dataDir);
        RuntimeException last = null;
        for (int attempt = 1; attempt <= BIND_ATTEMPTS; attempt++) {
            // KafkaRaftServer cannot bind port 0 and tell us the port: choose free ports
            // ourselves and try again if another process takes one in between.
            int bport = brokerPort == 0 ? freePort(host) : brokerPort;
            int cport = freePort(host);
            Properties props = properties(dataDir, host, bport, cport, extra);
            try {
                formatIfNeeded(dataDir, props);
                KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
                try {
                    server.startup();
                } catch (RuntimeException e) {
                    shutdownQuietly(server);
                    throw e;
                }
                LOG.info("embedded Kafka broker ready at {}:{} (data in {})", host, bport, dataDir);
                return new EmbeddedKafkaBroker(server, dataDir, deleteOnClose, host, bport);
            } catch (RuntimeException e) {
                last = e;
                if (!isBindFailure(e) || brokerPort != 0 && attempt >= 2) {
                    throw e;
                }
                LOG.warn("port taken while starting the embedded broker ({}); retrying", e.getMessage());
            }
        }
        throw last;
    }

    /** A throw-away broker in a fresh temporary directory, deleted on close. */
    public static EmbeddedKafkaBroker startTemporary() throws IOException {
        Path dir = Files.createTempDirectory("nocturne-kafka-");
        return start(dir, "127.0.0.1", 0, true, Map.of());
    }

    private static Properties properties(Path dataDir, String host, int bport, int cport, Map<String, String> extra) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@" + host + ":" + cport);
        p.put("listeners", "PLAINTEXT://" + host + ":" + bport + ",CONTROLLER://" + host + ":" + cport);
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + bport);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dataDir.resolve("logs").toString());
        p.put("metadata.log.dir", dataDir.resolve("metadata").toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        // One node: keep the thread pools small (2-core machines).
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("background.threads", "2");
        p.putAll(extra);
        return p;
    }

    private static void formatIfNeeded(Path dataDir, Properties props) throws IOException {
        Path logs = dataDir.resolve("logs");
        Path metadata = dataDir.resolve("metadata");
        if (Files.exists(logs.resolve("meta.properties")) && Files.exists(metadata.resolve("meta.properties"))) {
            return;
        }
        Path config = dataDir.resolve("format.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            props.store(out, "written by Nocturne to format the embedded broker's storage");
        }
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int rc;
        try (PrintStream ps = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(),
                "-c", config.toString(), "--ignore-formatted"}, ps);
        }
        if (rc != 0) {
            throw new IllegalStateException("formatting Kafka storage in " + dataDir + " failed (exit " + rc + "): "
                    + captured.toString(StandardCharsets.UTF_8));
        }
        LOG.info("formatted Kafka storage in {}", dataDir);
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException
                    || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
                return true;
            }
        }
        return false;
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            return s.getLocalPort();
        }
    }

    private static void shutdownQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException ignored) {
            // already failing; the original exception is what matters
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
        LOG.info("embedded Kafka broker at {} stopped", bootstrapServers());
        if (deleteOnClose) {
            deleteRecursively(dataDir);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", dir, e.getMessage());
        }
    }
}
