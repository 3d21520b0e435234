package dk.brobygger.bench;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the whole benchmark: builds (or reuses) the fixtures, runs every line at every size under
 * JMH, probes the peak memory of a common-word search in fresh JVMs, and prints the report.
 *
 * <p>Options: {@code --quick} (a small workload and one short iteration: proves it runs, times
 * nothing worth reading), {@code --sizes 2000,10000,30000}, {@code --fixtures DIR},
 * {@code --lines REGEX} (JMH benchmark names), {@code --no-memory}, {@code --report-only} (print the
 * last run's report again), {@code --before FILE} (an earlier report, for the before → after column).
 * System properties:
 * {@code jna.library.path} (the folder of libbrobygger_ffi.so) and {@code brobygger.bench.drivers}.
 */
public final class Main {
    private Main() {}

    /** Changes when the workload changes, so old fixtures are rebuilt. */
    private static final String WORKLOAD_VERSION = "2";

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        boolean quick = false;
        boolean memory = true;
        boolean reportOnly = false;
        List<Integer> sizes = new ArrayList<>();
        Path fixtures = Paths.get("target/jvm-bench/fixtures");
        String lines = ".*";
        Path before = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--sizes" -> {
                    sizes.clear();
                    Arrays.stream(args[++i].split(",")).map(String::trim).map(Integer::parseInt).sorted().forEach(sizes::add);
                }
                case "--fixtures" -> fixtures = Paths.get(args[++i]);
                case "--lines" -> lines = args[++i];
                case "--no-memory" -> memory = false;
                case "--report-only" -> reportOnly = true;
                case "--before" -> before = Paths.get(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (quick) {
            System.setProperty("brobygger.bench.quick", "true");
        }
        if (sizes.isEmpty()) {
            sizes.addAll(quick ? List.of(300) : List.of(2_000, 10_000, 30_000));
        }
        fixtures = fixtures.toAbsolutePath();
        Files.createDirectories(fixtures);
        // Copies left behind by an interrupted run.
        try (var old = Files.newDirectoryStream(fixtures, "{trial-,rss-}*")) {
            for (Path p : old) {
                Fixtures.deleteTree(p);
            }
        }
        Path resultsFile = fixtures.resolve("results.tsv");
        if (reportOnly) {
            Report.print(new Results(resultsFile), sizes, before);
            return;
        }
        Files.deleteIfExists(resultsFile);
        System.setProperty("brobygger.bench.results", resultsFile.toString());
        Results results = new Results(resultsFile);

        String stamp = stamp(quick);
        Fixtures.ensure(fixtures, sizes, stamp, results);
        try (JdbcSide plain = JdbcSide.open(JdbcSide.Kind.PLAIN, Fixtures.dir(fixtures, sizes.get(0)));
                JdbcSide cipher = JdbcSide.open(JdbcSide.Kind.SQLCIPHER, Fixtures.dir(fixtures, sizes.get(0)))) {
            results.info(0, "plain", plain.version() + " (" + Drivers.jarName("plain") + ")");
            results.info(0, "sqlcipher", cipher.version() + " (" + Drivers.jarName("sqlcipher") + ")");
        }
        results.info(0, "jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        results.info(0, "cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        results.info(0, "quick", Boolean.toString(quick));
        long jmhStarted = System.nanoTime();

        List<String> forkArgs = new ArrayList<>();
        for (String p : List.of("jna.library.path", "brobygger.bench.drivers", "brobygger.bench.results",
                "brobygger.bench.quick")) {
            if (System.getProperty(p) != null) {
                forkArgs.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        forkArgs.add("-Dbrobygger.bench.fixtures=" + fixtures);
        ChainedOptionsBuilder jmh = new OptionsBuilder()
            .include(InterleavedBench.class.getName() + "\\.(" + lines + ")$")
            .param("notes", sizes.stream().map(String::valueOf).toArray(String[]::new))
            .forks(1)
            .jvmArgs(forkArgs.toArray(String[]::new))
            .shouldFailOnError(true)
            .resultFormat(ResultFormatType.CSV)
            .result(fixtures.resolve("jmh.csv").toString());
        if (quick) {
            // Proves every line runs and every check passes; the figures mean nothing.
            jmh.warmupIterations(0).measurementIterations(1).measurementTime(TimeValue.milliseconds(200))
                .verbosity(VerboseMode.SILENT);
        } else {
            jmh.warmupIterations(1).warmupTime(TimeValue.seconds(2))
                .measurementIterations(4).measurementTime(TimeValue.seconds(2));
        }
        new Runner(jmh.build()).run();
        long jmhSeconds = (System.nanoTime() - jmhStarted) / 1_000_000_000L;
        results.info(0, "jmh_s", Long.toString(jmhSeconds));

        if (memory) {
            int largest = sizes.get(sizes.size() - 1);
            for (String side : List.of("core", "plain", "sqlcipher")) {
                for (String what : List.of("page", "all", "count")) {
                    probe(fixtures, largest, side, what);
                }
            }
        }
        results.info(0, "total_s", Long.toString((System.nanoTime() - started) / 1_000_000_000L));
        System.out.println();
        Report.print(results, sizes, before);
    }

    /** One memory probe in a fresh JVM with an Android-like heap limit. */
    private static void probe(Path fixtures, int notes, String side, String what) throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xms16m", "-Xmx256m", "-XX:+UseSerialGC"));
        for (String p : List.of("jna.library.path", "brobygger.bench.drivers", "brobygger.bench.results",
                "brobygger.bench.quick")) {
            if (System.getProperty(p) != null) {
                cmd.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Rss.class.getName(),
            fixtures.toString(), Integer.toString(notes), side, what));
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("memory probe failed: " + side + " " + what);
        }
    }

    /** The library the fixtures were built with, and the workload: a change means a rebuild. */
    private static String stamp(boolean quick) throws Exception {
        String dir = System.getProperty("jna.library.path");
        if (dir == null) {
            throw new IllegalStateException("-Djna.library.path is not set (scripts/jvm-bench.sh sets it)");
        }
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(Paths.get(dir, "libbrobygger_ffi.so"))) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
            }
        }
        return WORKLOAD_VERSION + (quick ? "-quick-" : "-full-") + HexFormat.of().formatHex(sha.digest());
    }
}
