package io.nocturne.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Nocturne service run as a child JVM on its own classpath (its jar plus
 * {@code target/runtime-classpath.txt}), told the launcher's pid so it exits if the launcher
 * dies, and stopped with SIGTERM (Micronaut's shutdown hooks flush and close) before SIGKILL.
 */
final class ServiceProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceProcess.class);

    private final String name;
    private final Process process;
    private final int httpPort;

    private ServiceProcess(String name, Process process, int httpPort) {
        this.name = name;
        this.process = process;
        this.httpPort = httpPort;
    }

    /**
     * @param moduleDir  e.g. {@code <home>/telemetry-ingest}, built with {@code package}
     * @param properties -D system properties (configuration) for the service
     */
    static ServiceProcess start(String name, Path moduleDir, String mainClass, int httpPort,
                                Map<String, String> properties, List<String> jvmOptions) throws IOException {
        String classpath = classpath(moduleDir);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Dnocturne.parent-pid=" + ProcessHandle.current().pid());
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        LOG.debug("starting {}: {}", name, command);
        return new ServiceProcess(name, pb.start(), httpPort);
    }

    /** The module's jar and its runtime dependencies, as Maven wrote them at {@code package}. */
    static String classpath(Path moduleDir) throws IOException {
        Path target = moduleDir.resolve("target");
        Path cpFile = target.resolve("runtime-classpath.txt");
        if (!Files.isRegularFile(cpFile)) {
            throw new IOException(cpFile + " is missing: build first (./mvnw -DskipTests package, which ./nocturne up runs)");
        }
        Path jar;
        try (Stream<Path> files = Files.list(target)) {
            jar = files.filter(p -> p.getFileName().toString().endsWith(".jar"))
                    .filter(p -> !p.getFileName().toString().matches(".*-(sources|javadoc|tests)\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IOException("no jar in " + target + ": build first"));
        }
        String deps = Files.readString(cpFile).trim();
        return deps.isEmpty() ? jar.toString() : jar + java.io.File.pathSeparator + deps;
    }

    String name() {
        return name;
    }

    int httpPort() {
        return httpPort;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Process process() {
        return process;
    }

    /** {@code GET /health} answers 200 (UP). */
    boolean isHealthy(HttpClient http) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy(); // SIGTERM: graceful
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                LOG.warn("{} did not stop within 30 s; killing it", name);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
