package io.nocturne.common.lifecycle;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a service runs as a child of the standalone launcher, it must not outlive it (no
 * orphans, even if the launcher is killed with SIGKILL). The launcher passes its pid in
 * {@code -Dnocturne.parent-pid}; this exits the JVM, through its shutdown hooks, when that
 * process ends.
 */
public final class ParentProcessWatch {

    private static final Logger LOG = LoggerFactory.getLogger(ParentProcessWatch.class);
    public static final String PROPERTY = "nocturne.parent-pid";

    private ParentProcessWatch() {
    }

    /** Starts watching if {@value #PROPERTY} is set; a no-op otherwise. */
    public static void installFromSystemProperty() {
        String pid = System.getProperty(PROPERTY);
        if (pid == null || pid.isBlank()) {
            return;
        }
        Optional<ProcessHandle> parent = ProcessHandle.of(Long.parseLong(pid.trim()));
        if (parent.isEmpty()) {
            LOG.error("launcher process {} is already gone; exiting", pid);
            System.exit(1);
        }
        parent.get().onExit().thenRun(() -> {
            LOG.warn("launcher process {} ended; shutting down", pid);
            System.exit(0);
        });
    }
}
