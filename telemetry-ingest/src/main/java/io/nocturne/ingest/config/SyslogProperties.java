package io.nocturne.ingest.config;

import io.micronaut.context.annotation.ConfigurationProperties;

/** {@code nocturne.ingest.syslog.*}: syslog decoding. */
@ConfigurationProperties("nocturne.ingest.syslog")
public class SyslogProperties {

    /**
     * Time zone for timestamps that carry no offset (RFC 3164 "Mmm dd hh:mm:ss"), as a
     * {@code java.time.ZoneId} ("UTC", "Europe/Paris"). Set it to the devices' zone.
     */
    private String timezone = "UTC";

    /**
     * Per-exporter zones for devices that send local time without an offset, as
     * {@code "CIDR=Zone"} entries ({@code "10.1.0.0/16=Europe/Paris"}); first match wins.
     */
    private java.util.List<String> exporterTimezones = new java.util.ArrayList<>();

    public java.util.List<String> getExporterTimezones() {
        return exporterTimezones;
    }

    public void setExporterTimezones(java.util.List<String> exporterTimezones) {
        this.exporterTimezones = exporterTimezones;
    }

    public String getTimezone() {
        return timezone;
    }

    public void setTimezone(String timezone) {
        this.timezone = timezone;
    }
}
