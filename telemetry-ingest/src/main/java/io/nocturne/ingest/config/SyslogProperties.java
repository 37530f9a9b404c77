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

    public String getTimezone() {
        return timezone;
    }

    public void setTimezone(String timezone) {
        this.timezone = timezone;
    }
}
