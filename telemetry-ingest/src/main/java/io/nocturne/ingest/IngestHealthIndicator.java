package io.nocturne.ingest;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;
import io.micronaut.core.async.publisher.Publishers;

/** {@code /health}: UP once Kafka answered and every enabled listener is bound. */
@Singleton
public class IngestHealthIndicator implements HealthIndicator {

    private final IngestService ingest;

    public IngestHealthIndicator(IngestService ingest) {
        this.ingest = ingest;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("kafka", ingest.isKafkaReady() ? "ready" : "waiting for the cluster");
        Map<String, Object> listeners = new LinkedHashMap<>();
        ingest.boundListeners().forEach((name, addr) -> listeners.put(name, addr.getHostString() + ":" + addr.getPort()));
        details.put("listeners", listeners);
        ingest.startFailure().ifPresent(f -> details.put("error", f));
        HealthStatus status = ingest.allListenersUp() ? HealthStatus.UP : HealthStatus.DOWN;
        return Publishers.just(HealthResult.builder("ingest", status).details(details).build());
    }
}
