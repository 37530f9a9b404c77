package io.nocturne.ingest.flow.template;

/** Where learned and withdrawn templates are shared (the compacted Kafka topic, or nowhere). */
public interface TemplateSink {

    TemplateSink NONE = new TemplateSink() {
        @Override
        public void learned(Template template) {
        }

        @Override
        public void withdrawn(TemplateKey key) {
        }
    };

    /** A new or replaced definition (not called for a mere refresh). */
    void learned(Template template);

    /** Withdrawn by the exporter (RFC 7011 §8.1): a tombstone. */
    void withdrawn(TemplateKey key);
}
