package io.nocturne.alert;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;

/** {@code /health}: UP while the evaluation topology is RUNNING. */
@Singleton
public class AlertEngineHealthIndicator implements HealthIndicator {

    private final AlertEngine engine;

    public AlertEngineHealthIndicator(AlertEngine engine) {
        this.engine = engine;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("evaluation", engine.state());
        details.put("rules", engine.rules().current().size());
        details.put("rulesLastLoadApplied", engine.rules().lastResult().applied());
        return Publishers.just(HealthResult.builder("alert-engine", engine.isRunning() ? HealthStatus.UP : HealthStatus.DOWN)
                .details(details).build());
    }
}
