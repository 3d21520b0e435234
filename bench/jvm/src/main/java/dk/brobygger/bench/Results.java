package dk.brobygger.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Figures appended, one tab-separated line each, to the run's results file: every benchmark
 * JVM (a JMH fork, a memory probe) adds its lines, and the report reads them all at the end.
 * Kinds: {@code lat} (size, line, side, samples, p50 ns, p99 ns), {@code hits}
 * (size, word, side, count), {@code rss} (size, case, side, before KiB, peak KiB), {@code info}.
 */
public final class Results {
    private final Path file;

    public Results(Path file) {
        this.file = file;
    }

    public static Results fromProperty() {
        String f = System.getProperty("brobygger.bench.results");
        if (f == null) {
            throw new IllegalStateException("-Dbrobygger.bench.results is not set");
        }
        return new Results(Paths.get(f));
    }

    public void latency(int size, String line, String side, Samples s) throws IOException {
        append("lat", size, line, side, s.count(), s.percentile(0.50), s.percentile(0.99));
    }

    public void hits(int size, String word, String side, int count) throws IOException {
        append("hits", size, word, side, count);
    }

    public void rss(int size, String what, String side, long beforeKiB, long peakKiB) throws IOException {
        append("rss", size, what, side, beforeKiB, peakKiB);
    }

    public void info(int size, String key, String value) throws IOException {
        append("info", size, key, value);
    }

    private synchronized void append(Object... fields) throws IOException {
        StringBuilder b = new StringBuilder();
        for (Object f : fields) {
            if (b.length() > 0) {
                b.append('\t');
            }
            b.append(String.valueOf(f).replace('\t', ' ').replace('\n', ' '));
        }
        b.append('\n');
        Files.writeString(file, b, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    public List<String[]> read() throws IOException {
        List<String[]> rows = new ArrayList<>();
        if (Files.exists(file)) {
            for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!l.isBlank()) {
                    rows.add(l.split("\t", -1));
                }
            }
        }
        return rows;
    }
}
