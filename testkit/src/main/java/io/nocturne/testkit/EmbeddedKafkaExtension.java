package io.nocturne.testkit;

import io.nocturne.kafka.embedded.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving tests a real Kafka broker: one single-node KRaft broker per test
 * JVM, started on first use (~4-6 s in a fresh JVM) and stopped when the JVM's tests are
 * done. Tests receive a {@link KafkaBroker} parameter and create their own topics.
 *
 * <pre>{@code
 * @ExtendWith(EmbeddedKafkaExtension.class)
 * class SomethingTest {
 *     @Test void works(KafkaBroker kafka) { ... kafka.bootstrapServers() ... }
 * }
 * }</pre>
 */
public final class EmbeddedKafkaExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EmbeddedKafkaExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return broker(extensionContext);
    }

    /** The shared broker, started on first call. */
    public static KafkaBroker broker(ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
        SharedBroker shared = store.getOrComputeIfAbsent(SharedBroker.class, k -> SharedBroker.start(), SharedBroker.class);
        return shared.handle;
    }

    /** Lives in the root store, so JUnit closes it once, after the last test of the JVM. */
    static final class SharedBroker implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        final EmbeddedKafkaBroker broker;
        final KafkaBroker handle;

        private SharedBroker(EmbeddedKafkaBroker broker) {
            this.broker = broker;
            this.handle = new KafkaBroker(broker.bootstrapServers());
        }

        static SharedBroker start() {
            try {
                return new SharedBroker(EmbeddedKafkaBroker.startTemporary());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded Kafka broker", e);
            }
        }

        @Override
        public void close() {
            broker.close();
        }
    }
}
