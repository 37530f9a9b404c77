package io.nocturne.ingest;

import io.micronaut.runtime.Micronaut;
import io.nocturne.common.lifecycle.ParentProcessWatch;

/** telemetry-ingest: listeners → decoders → Kafka. */
public final class IngestApplication {

    private IngestApplication() {
    }

    public static void main(String[] args) {
        ParentProcessWatch.installFromSystemProperty();
        Micronaut.build(args).mainClass(IngestApplication.class).banner(false).start();
    }
}
