package io.nocturne.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The syslog decoder on {@link SyslogMixBenchmark}'s mixes, timed by the decoding thread's
 * CPU time (messages per CPU-second = "per core"), and optionally against other builds of
 * telemetry-ingest in the same JVM, round by round in alternating order.
 *
 * <p>Why: this machine's speed drifts by up to 2x from minute to minute, so two JMH runs a
 * minute apart compare the machine, not the code. Here every build is timed in every round,
 * seconds apart, and the report gives the median over the rounds after the first third
 * (JIT warm-up). Each build's classes are loaded child-first from its jar, so each gets its
 * own compiled code; protobuf and the generated messages are shared.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.nocturne.bench.SyslogDecoderCpuTime ROUNDS harness|firewall-heavy \
 *     [label=path/to/telemetry-ingest.jar ...]
 * </pre>
 * Without jars, the decoder on the class path is timed alone (label "current").
 */
public final class SyslogDecoderCpuTime {

    private static final int MESSAGES_PER_ROUND = 200_000;

    private SyslogDecoderCpuTime() {
    }

    /** Loads {@code io.nocturne.ingest.*} from its own jar first, the rest from the parent. */
    private static final class ChildFirst extends URLClassLoader {
        ChildFirst(URL jar, ClassLoader parent) {
            super(new URL[] {jar}, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("io.nocturne.ingest.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                return c != null ? c : findClass(name);
            }
        }
    }

    public static void main(String[] args) throws Throwable {
        if (args.length < 2) {
            System.err.println("usage: SyslogDecoderCpuTime ROUNDS harness|firewall-heavy [label=jar ...]");
            System.exit(2);
        }
        int rounds = Integer.parseInt(args[0]);
        byte[][] messages = mix(args[1]);
        List<String> labels = new ArrayList<>();
        List<MethodHandle> decoders = new ArrayList<>();
        if (args.length == 2) {
            labels.add("current");
            decoders.add(decoder(SyslogDecoderCpuTime.class.getClassLoader()));
        }
        for (int i = 2; i < args.length; i++) {
            String[] labelJar = args[i].split("=", 2);
            labels.add(labelJar[0]);
            decoders.add(decoder(new ChildFirst(Path.of(labelJar[1]).toUri().toURL(),
                    SyslogDecoderCpuTime.class.getClassLoader())));
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        int n = decoders.size();
        int reps = Math.max(1, MESSAGES_PER_ROUND / messages.length);
        double[][] rates = new double[n][rounds];
        Object sink = null;
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < n; k++) {
                int v = r % 2 == 0 ? k : n - 1 - k; // alternate the order: no build always runs first
                MethodHandle decode = decoders.get(v);
                long cpu0 = mx.getCurrentThreadCpuTime();
                for (int rep = 0; rep < reps; rep++) {
                    for (byte[] m : messages) {
                        sink = decode.invoke(m);
                    }
                }
                long cpu = mx.getCurrentThreadCpuTime() - cpu0;
                rates[v][r] = (double) reps * messages.length / (cpu / 1e9);
            }
        }
        int skip = rounds / 3;
        System.out.printf("%s mix, %d messages a round, rounds %d-%d of %d (the first third is JIT warm-up)%n",
                args[1], reps * messages.length, skip + 1, rounds, rounds);
        for (int k = 0; k < n; k++) {
            double[] kept = Arrays.copyOfRange(rates[k], skip, rounds);
            Arrays.sort(kept);
            System.out.printf("%-12s median %,10.0f  best %,10.0f  worst %,10.0f  messages per CPU-second%n",
                    labels.get(k), kept[kept.length / 2], kept[kept.length - 1], kept[0]);
        }
        if (sink == null) {
            System.out.println();
        }
    }

    private static MethodHandle decoder(ClassLoader loader) throws Throwable {
        Class<?> type = Class.forName("io.nocturne.ingest.syslog.SyslogDecoder", true, loader);
        Class<?> result = Class.forName("io.nocturne.ingest.decode.DecodeResult", true, loader);
        Object decoder = type.getConstructor(ZoneId.class, Clock.class).newInstance(ZoneOffset.UTC, Clock.systemUTC());
        return MethodHandles.publicLookup()
                .findVirtual(type, "decode", MethodType.methodType(result, byte[].class))
                .bindTo(decoder)
                .asType(MethodType.methodType(Object.class, byte[].class));
    }

    /** The same messages {@link SyslogMixBenchmark} decodes for {@code mix}. */
    private static byte[][] mix(String mix) {
        List<byte[]> list = new ArrayList<>();
        if ("harness".equals(mix)) {
            long now = System.currentTimeMillis();
            for (int i = 0; i < 1000; i++) {
                list.add(io.nocturne.bench.harness.SyslogMix.line(i, i % 16, "nbm:bench:" + i + ":" + now, now));
            }
        } else if ("firewall-heavy".equals(mix)) {
            for (Object[] entry : SyslogMixBenchmark.MIX) {
                for (int i = 0; i < (Integer) entry[0]; i++) {
                    list.add(((String) entry[1]).getBytes(StandardCharsets.UTF_8));
                }
            }
            Collections.shuffle(list, new Random(42));
        } else {
            throw new IllegalArgumentException("mix must be harness or firewall-heavy: " + mix);
        }
        return list.toArray(new byte[0][]);
    }
}
