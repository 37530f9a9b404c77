package io.nocturne.ingest.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.util.ArrayList;
import java.util.List;

/** {@code nocturne.ingest.snmp.*}: what every SNMP trap listener accepts. */
@ConfigurationProperties("nocturne.ingest.snmp")
public class SnmpProperties {

    /**
     * v1/v2c communities accepted (an allow-list); traps and INFORMs with any other community
     * are dropped, counted ({@code reason="unknown_community"}) and logged. Empty refuses v1/v2c.
     */
    private List<String> communities = new ArrayList<>(List.of("public"));

    /**
     * Nocturne's SNMP engine ID (RFC 3411 SnmpEngineID, 5..32 bytes, hex as "0x8000…"): the
     * authoritative engine devices send v3 INFORMs to. Empty: derived from the host name
     * (stable across restarts of one host; give each instance its own when several run).
     */
    private String engineId = "";

    /** Directories of operator MIB files, loaded after the shipped MIBs. */
    private List<String> mibDirs = new ArrayList<>();

    public List<String> getMibDirs() {
        return mibDirs;
    }

    public void setMibDirs(List<String> mibDirs) {
        this.mibDirs = mibDirs;
    }

    public List<String> getCommunities() {
        return communities;
    }

    public void setCommunities(List<String> communities) {
        this.communities = communities;
    }

    public String getEngineId() {
        return engineId;
    }

    public void setEngineId(String engineId) {
        this.engineId = engineId;
    }
}
