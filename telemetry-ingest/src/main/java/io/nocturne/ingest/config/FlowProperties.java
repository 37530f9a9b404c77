package io.nocturne.ingest.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/** {@code nocturne.ingest.flow.*}: NetFlow v5/v9 and IPFIX decoding, shared by every flow listener. */
@ConfigurationProperties("nocturne.ingest.flow")
public class FlowProperties {

    /**
     * Sampling rates for exporters that do not send theirs, as {@code "CIDR=rate"} entries
     * ({@code "10.0.0.0/8=1000"}: 1 in 1000); first match wins. Used only when neither the
     * packet nor options data gives a rate.
     */
    private java.util.List<String> samplingOverrides = new java.util.ArrayList<>();
    /** Templates kept per exporter; a new one beyond evicts that exporter's least recently refreshed. */
    private int maxTemplatesPerExporter = 1000;
    /** Templates kept in total, all exporters together. */
    private int maxTemplates = 100_000;
    /** A template not refreshed for this long is dropped (RFC 7011 §8.4); 0 = never. */
    private Duration templateTimeout = Duration.ofHours(1);
    /** Data sets held while their template has not arrived; beyond, the oldest is dead-lettered. */
    private int pendingMaxSets = 1000;
    /** How long a data set waits for its template before it is dead-lettered. */
    private Duration pendingTimeout = Duration.ofSeconds(30);
    /** Publish templates to, and read them back at start from, the compacted flow-templates topic. */
    private boolean shareTemplates = true;
    /** Exporters that get their own {@code exporter} label on flow metrics; others are {@code other}. */
    private int exporterLabelLimit = 100;

    public java.util.List<String> getSamplingOverrides() {
        return samplingOverrides;
    }

    public void setSamplingOverrides(java.util.List<String> samplingOverrides) {
        this.samplingOverrides = samplingOverrides;
    }

    public int getMaxTemplatesPerExporter() {
        return maxTemplatesPerExporter;
    }

    public void setMaxTemplatesPerExporter(int maxTemplatesPerExporter) {
        this.maxTemplatesPerExporter = maxTemplatesPerExporter;
    }

    public int getMaxTemplates() {
        return maxTemplates;
    }

    public void setMaxTemplates(int maxTemplates) {
        this.maxTemplates = maxTemplates;
    }

    public Duration getTemplateTimeout() {
        return templateTimeout;
    }

    public void setTemplateTimeout(Duration templateTimeout) {
        this.templateTimeout = templateTimeout;
    }

    public int getPendingMaxSets() {
        return pendingMaxSets;
    }

    public void setPendingMaxSets(int pendingMaxSets) {
        this.pendingMaxSets = pendingMaxSets;
    }

    public Duration getPendingTimeout() {
        return pendingTimeout;
    }

    public void setPendingTimeout(Duration pendingTimeout) {
        this.pendingTimeout = pendingTimeout;
    }

    public boolean isShareTemplates() {
        return shareTemplates;
    }

    public void setShareTemplates(boolean shareTemplates) {
        this.shareTemplates = shareTemplates;
    }

    public int getExporterLabelLimit() {
        return exporterLabelLimit;
    }

    public void setExporterLabelLimit(int exporterLabelLimit) {
        this.exporterLabelLimit = exporterLabelLimit;
    }
}
