package io.nocturne.alert;

import io.micronaut.runtime.Micronaut;
import io.nocturne.common.lifecycle.ParentProcessWatch;

/** alert-engine: rules over the telemetry topics → alerts → incidents → notifications. */
public final class AlertEngineApplication {

    private AlertEngineApplication() {
    }

    public static void main(String[] args) {
        ParentProcessWatch.installFromSystemProperty();
        Micronaut.build(args).mainClass(AlertEngineApplication.class).banner(false).start();
    }
}
