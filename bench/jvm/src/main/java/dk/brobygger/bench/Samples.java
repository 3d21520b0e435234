package dk.brobygger.bench;

import java.util.Arrays;

/** One side's latencies for one line, in nanoseconds. */
public final class Samples {
    private long[] v = new long[1024];
    private int n;

    public void add(long nanos) {
        if (n == v.length) {
            v = Arrays.copyOf(v, n * 2);
        }
        v[n++] = nanos;
    }

    public int count() {
        return n;
    }

    /** Nearest rank, as the Rust benches compute it; 0 when empty. */
    public long percentile(double p) {
        if (n == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(v, n);
        Arrays.sort(sorted);
        return sorted[(int) Math.round((n - 1) * p)];
    }
}
