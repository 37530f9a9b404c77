package io.nocturne.ingest.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code nocturne.ingest.snmp.users.<user>.*}: one SNMPv3 USM user (RFC 3414). The key is the
 * user name unless {@code name} says otherwise. Passphrases are read here and nowhere else:
 * they are never logged and never put in an event.
 */
@EachProperty("nocturne.ingest.snmp.users")
public class SnmpUserProperties {

    private final String key;
    /** The USM user name (msgUserName) when it differs from the key (case, characters). */
    private String name;
    /** MD5, SHA (SHA-1), SHA-224, SHA-256, SHA-384, SHA-512 or none (noAuthNoPriv). */
    private String authProtocol = "none";
    /** Authentication passphrase (at least 8 characters). */
    private String authPassphrase;
    /** DES, 3DES, AES (AES-128), AES-192, AES-256 or none (no privacy). */
    private String privProtocol = "none";
    /** Privacy passphrase (at least 8 characters). */
    private String privPassphrase;
    /**
     * Engine IDs (hex) of the devices that send traps as this user: a trap's keys are
     * localized to its sender's engine (RFC 3414 §2.6), so each sender is listed. INFORMs
     * need none: they use Nocturne's engine ID.
     */
    private List<String> engineIds = new ArrayList<>();

    public SnmpUserProperties(@Parameter String key) {
        this.key = key;
    }

    public String getKey() {
        return key;
    }

    public String getName() {
        return name == null || name.isBlank() ? key : name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getAuthProtocol() {
        return authProtocol;
    }

    public void setAuthProtocol(String authProtocol) {
        this.authProtocol = authProtocol;
    }

    public String getAuthPassphrase() {
        return authPassphrase;
    }

    public void setAuthPassphrase(String authPassphrase) {
        this.authPassphrase = authPassphrase;
    }

    public String getPrivProtocol() {
        return privProtocol;
    }

    public void setPrivProtocol(String privProtocol) {
        this.privProtocol = privProtocol;
    }

    public String getPrivPassphrase() {
        return privPassphrase;
    }

    public void setPrivPassphrase(String privPassphrase) {
        this.privPassphrase = privPassphrase;
    }

    public List<String> getEngineIds() {
        return engineIds;
    }

    public void setEngineIds(List<String> engineIds) {
        this.engineIds = engineIds;
    }

    @Override
    public String toString() {
        return "SnmpUserProperties[" + getName() + ", auth=" + authProtocol + ", priv=" + privProtocol + "]";
    }
}
