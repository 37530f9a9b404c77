package io.nocturne.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link RuleEvaluationBenchmark}'s two operations timed by the CPU time of the thread that
 * runs them, not by the wall clock: events per CPU-second is "events per core", and stays
 * meaningful on a machine whose cores are shared with other work (JMH's wall-clock
 * throughput then measures the share the scheduler gave, not the code).
 *
 * <pre>java -cp bench/target/benchmarks.jar io.nocturne.bench.RuleEvaluationCpuTime [seconds-of-cpu per run]</pre>
 */
public final class RuleEvaluationCpuTime {

    private RuleEvaluationCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        double cpuSeconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Blackhole bh = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        for (String store : new String[] {"memory", "serde"}) {
            for (String op : new String[] {"match", "matchAndEvaluate"}) {
                RuleEvaluationBenchmark b = new RuleEvaluationBenchmark();
                b.store = store;
                b.setUp();
                Runnable step = op.equals("match") ? () -> b.match(bh) : () -> b.matchAndEvaluate(bh);
                run(step, mx, cpuSeconds); // warm-up (JIT)
                double best = 0;
                StringBuilder runs = new StringBuilder();
                for (int r = 0; r < 3; r++) {
                    double rate = run(step, mx, cpuSeconds);
                    best = Math.max(best, rate);
                    runs.append(String.format(" %,.0f", rate));
                }
                System.out.printf("%-18s store=%-6s  best %,10.0f events per CPU-second  (runs:%s)%n", op, store, best, runs);
            }
        }
    }

    private static double run(Runnable step, ThreadMXBean mx, double cpuSeconds) {
        long budget = (long) (cpuSeconds * 1e9);
        long start = mx.getCurrentThreadCpuTime();
        long ops = 0;
        long used;
        do {
            for (int i = 0; i < 10_000; i++) {
                step.run();
            }
            ops += 10_000;
            used = mx.getCurrentThreadCpuTime() - start;
        } while (used < budget);
        return ops / (used / 1e9);
    }
}
