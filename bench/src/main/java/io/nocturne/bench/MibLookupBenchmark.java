package io.nocturne.bench;

import io.nocturne.ingest.snmp.mib.MibRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What MIB translation costs per varbind on the ingest hot path: the name of a trap OID and
 * of instance OIDs, and an enumeration label, over the shipped MIBs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MibLookupBenchmark {

    /** A linkDown trap's varbinds as they arrive: sysUpTime.0, snmpTrapOID.0 and its value, ifIndex, ifAdminStatus, ifOperStatus. */
    private static final String[] VARBIND_OIDS = {
        "1.3.6.1.2.1.1.3.0", "1.3.6.1.6.3.1.1.4.1.0", "1.3.6.1.6.3.1.1.5.3",
        "1.3.6.1.2.1.2.2.1.1.10107", "1.3.6.1.2.1.2.2.1.7.10107", "1.3.6.1.2.1.2.2.1.8.10107",
        "1.3.6.1.4.1.9.9.13.1.5.1.3.2", "1.3.6.1.2.1.15.3.1.2.192.0.2.1",
    };

    private MibRegistry registry;

    @Setup
    public void setUp() {
        registry = MibRegistry.load(List.of());
    }

    @Benchmark
    public String trapOidName() {
        return registry.name("1.3.6.1.6.3.1.1.5.3");
    }

    @Benchmark
    public String instanceName() {
        return registry.name("1.3.6.1.2.1.2.2.1.8.10107");
    }

    @Benchmark
    public String enumLabel() {
        return registry.enumLabel("1.3.6.1.2.1.2.2.1.8.10107", 2);
    }

    @Benchmark
    public void linkDownTrapVarbinds(Blackhole bh) {
        for (String oid : VARBIND_OIDS) {
            bh.consume(registry.name(oid));
        }
    }
}
