package io.nocturne.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The team's shared captures ({@code ../shared/captures}), read in place. Tests that need
 * them call {@link #require(String)}, which skips the test (JUnit assumption) where the
 * folder is absent, so the project's own tests pass on any machine.
 */
public final class SharedCaptures {

    private SharedCaptures() {
    }

    public static Path sharedDir() {
        String configured = System.getProperty("nocturne.shared.dir");
        return Path.of(configured != null ? configured : "../shared").toAbsolutePath().normalize();
    }

    /** The file under {@code shared/captures}, or a skipped test if it is not there. */
    public static Path require(String relative) {
        Path p = sharedDir().resolve("captures").resolve(relative);
        assumeTrue(Files.isRegularFile(p), () -> "shared capture not present: " + p);
        return p;
    }
}
