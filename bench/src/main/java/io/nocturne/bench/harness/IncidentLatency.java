package io.nocturne.bench.harness;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The {@code syslog-incident} scenario: how long from the message that crosses a rule's
 * threshold to the incident in the API, and to the webhook call. Each burst comes from a
 * new device name, so each opens exactly one incident of the default rule
 * ({@code DeviceErrorBurst}: {@code threshold} messages of severity ≤ 3 per device per
 * minute). Start the pipeline with {@code --webhook-url http://<webhook-listen>/}.
 */
public final class IncidentLatency {

    /** Options of the scenario. */
    public record Options(InetSocketAddress target, URI alertApi, InetSocketAddress webhookListen, int bursts,
                          int threshold, Duration timeout) {
        public Options {
            if (!target.getAddress().isLoopbackAddress()) {
                throw new IllegalArgumentException("--target must be a loopback address");
            }
            if (bursts < 1 || threshold < 1) {
                throw new IllegalArgumentException("--bursts and --threshold must be >= 1");
            }
        }
    }

    /** What was measured. */
    public record Result(int bursts, int incidents, int webhooks, Histogram sendToIncident, Histogram sendToWebhook) {

        public String table() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "syslog-incident: %d bursts, %d incidents seen in the API, %d webhook calls%n",
                    bursts, incidents, webhooks));
            sb.append(String.format(Locale.ROOT, "%-34s %10s %10s %10s %6s%n", "latency (ms)", "p50", "p99", "max", "n"));
            row(sb, "crossing send → incident in API", sendToIncident);
            row(sb, "crossing send → webhook received", sendToWebhook);
            return sb.toString();
        }

        private static void row(StringBuilder sb, String name, Histogram h) {
            sb.append(String.format(Locale.ROOT, "%-34s %10.1f %10.1f %10.1f %6d%n", name,
                    h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(50) / 1e6,
                    h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99) / 1e6,
                    h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1e6, h.getTotalCount()));
        }

        public boolean complete() {
            return incidents == bursts && webhooks == bursts;
        }
    }

    private IncidentLatency() {
    }

    public static Result run(Options o) throws IOException, InterruptedException {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, Long> webhookArrivals = new ConcurrentHashMap<>();
        HttpServer hook = HttpServer.create(o.webhookListen(), 0);
        hook.createContext("/", exchange -> {
            long at = System.nanoTime();
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            int i = body.indexOf("\"device\":\"bench-" + run + "-");
            if (i >= 0 && body.contains("\"status\":\"firing\"")) {
                int start = i + "\"device\":\"".length();
                webhookArrivals.putIfAbsent(body.substring(start, body.indexOf('"', start)), at);
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        hook.start();
        Histogram toIncident = new Histogram(TimeUnit.MINUTES.toNanos(10), 3);
        Histogram toWebhook = new Histogram(TimeUnit.MINUTES.toNanos(10), 3);
        int incidents = 0;
        int webhooks = 0;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (Sender sender = Sender.open(Transport.UDP, o.target(), 1)) {
            for (int b = 0; b < o.bursts(); b++) {
                String device = "bench-" + run + "-" + b;
                long crossing = 0;
                for (int m = 0; m < o.threshold(); m++) {
                    crossing = System.nanoTime();
                    sender.send(0, ("<187>1 " + Instant.now() + " " + device + " bench - LINK - burst " + b + " message " + m)
                            .getBytes(StandardCharsets.UTF_8));
                }
                long deadline = crossing + o.timeout().toNanos();
                long incidentAt = 0;
                while (System.nanoTime() < deadline && (incidentAt == 0 || !webhookArrivals.containsKey(device))) {
                    if (incidentAt == 0 && hasIncident(http, o.alertApi(), device)) {
                        incidentAt = System.nanoTime();
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                }
                if (incidentAt != 0) {
                    incidents++;
                    toIncident.recordValue(Math.max(1, incidentAt - crossing));
                }
                Long hookAt = webhookArrivals.get(device);
                if (hookAt != null) {
                    webhooks++;
                    toWebhook.recordValue(Math.max(1, hookAt - crossing));
                }
            }
        } finally {
            hook.stop(0);
        }
        return new Result(o.bursts(), incidents, webhooks, toIncident, toWebhook);
    }

    private static boolean hasIncident(HttpClient http, URI api, String device) throws InterruptedException {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(api.resolve("/api/v1/incidents?status=open&limit=1000"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().contains("\"device\":\"" + device + "\"");
        } catch (IOException e) {
            return false;
        }
    }
}
