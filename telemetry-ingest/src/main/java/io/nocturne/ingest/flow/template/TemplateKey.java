package io.nocturne.ingest.flow.template;

/**
 * What a template id means something in: RFC 3954 §5.1 (source id) and RFC 7011 §3.1
 * (observation domain) scope template ids to one exporter and one domain.
 */
public record TemplateKey(String exporter, long domain, int templateId) {

    /** The key of the compacted {@code nocturne.flow-templates} topic. */
    public String topicKey() {
        return exporter + "/" + domain + "/" + templateId;
    }

    /** Parses {@link #topicKey()}; null when it is not one. */
    public static TemplateKey parse(String key) {
        if (key == null) {
            return null;
        }
        int b = key.lastIndexOf('/');
        int a = b <= 0 ? -1 : key.lastIndexOf('/', b - 1);
        if (a <= 0) {
            return null;
        }
        try {
            return new TemplateKey(key.substring(0, a), Long.parseLong(key.substring(a + 1, b)),
                    Integer.parseInt(key.substring(b + 1)));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
