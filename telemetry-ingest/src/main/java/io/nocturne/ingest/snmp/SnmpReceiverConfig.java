package io.nocturne.ingest.snmp;

import io.nocturne.ingest.config.SnmpProperties;
import io.nocturne.ingest.config.SnmpUserProperties;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The configuration of the SNMP receiver, validated: engine ID, communities, v3 users.
 *
 * @param engineId    Nocturne's engine ID
 * @param engineBoots snmpEngineBoots for this start
 * @param communities v1/v2c allow-list
 * @param users       v3 users
 */
public record SnmpReceiverConfig(byte[] engineId, int engineBoots, List<String> communities, List<UsmUserConfig> users) {

    /** 2020-01-01T00:00:00Z: boots count seconds from here, so they grow across restarts. */
    private static final long BOOTS_EPOCH = 1_577_836_800L;

    /**
     * @throws IllegalArgumentException naming the configuration key at fault
     */
    public static SnmpReceiverConfig from(SnmpProperties snmp, List<SnmpUserProperties> userProperties,
                                          String hostName, Instant now) {
        byte[] engine;
        String key = "nocturne.ingest.snmp.engine-id";
        if (snmp.getEngineId() == null || snmp.getEngineId().isBlank()) {
            engine = defaultEngineId(hostName);
        } else {
            try {
                engine = UsmUserConfig.parseEngineId(snmp.getEngineId());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ": " + e.getMessage());
            }
            if (engine.length < 5 || engine.length > 32) {
                throw new IllegalArgumentException(key + ": must be 5..32 bytes (RFC 3411), was " + engine.length);
            }
        }
        List<UsmUserConfig> users = new ArrayList<>();
        for (SnmpUserProperties u : userProperties) {
            String prefix = "nocturne.ingest.snmp.users." + u.getKey();
            try {
                List<byte[]> engines = new ArrayList<>();
                for (String id : u.getEngineIds()) {
                    engines.add(UsmUserConfig.parseEngineId(id));
                }
                users.add(new UsmUserConfig(u.getName(), UsmUserConfig.AuthProtocol.parse(u.getAuthProtocol()),
                        u.getAuthPassphrase(), UsmUserConfig.PrivProtocol.parse(u.getPrivProtocol()),
                        u.getPrivPassphrase(), engines));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(prefix + ": " + e.getMessage());
            }
        }
        // RFC 3414 §2.2.2: snmpEngineBoots must increase on every re-initialisation, or old
        // messages could be replayed. Without a state file, seconds since 2020 do that (and
        // stay below 2^31 - 1 until 2088).
        int boots = (int) Math.max(1, Math.min(Integer.MAX_VALUE - 1, now.getEpochSecond() - BOOTS_EPOCH));
        return new SnmpReceiverConfig(engine, boots, List.copyOf(snmp.getCommunities()), List.copyOf(users));
    }

    /**
     * RFC 3411 SnmpEngineID, text format: 0x80 | enterprise (SNMP4J's 4976), format 4, then
     * "nocturne-" and the host name (cut to the 27 bytes left).
     */
    static byte[] defaultEngineId(String hostName) {
        byte[] text = ("nocturne-" + (hostName == null ? "" : hostName)).getBytes(StandardCharsets.US_ASCII);
        text = Arrays.copyOf(text, Math.min(text.length, 27));
        byte[] id = new byte[5 + text.length];
        id[0] = (byte) 0x80;
        id[1] = 0x00;
        id[2] = 0x13;
        id[3] = 0x70;
        id[4] = 0x04;
        System.arraycopy(text, 0, id, 5, text.length);
        return id;
    }

    @Override
    public String toString() {
        return "SnmpReceiverConfig[engineId=" + TrapNormalizer.hex(engineId) + ", boots=" + engineBoots
                + ", communities=" + communities.size() + ", users=" + users + "]";
    }
}
