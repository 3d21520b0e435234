package dk.brobygger.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * One JMH benchmark per line, each holding all three sides and doing the line once on every
 * side per invocation, in an order that rotates, each side timed into its own recorder.
 *
 * <p>Why not one JMH benchmark per side: JMH runs benchmarks one after another, so each side
 * would be measured at a different moment of this shared 2-core machine, and a ratio would
 * divide one moment's noise by another's. Interleaved, a noisy moment falls on all three sides
 * alike, and the rotation spreads any advantage of going first or last. JMH still gives what it
 * is good at: a fresh forked JVM for each line and size, warm-up iterations (not recorded), the
 * blackhole, and its own score for the whole round (which is not the per-side figure; the
 * report's p50/p99 come from the recorders, written to the results file at the end of a trial).
 *
 * <p>Each trial runs on its own copy of the fixture, so saves never change what the other lines
 * see, and the setup checks that the sides return the same ids in the same order.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class InterleavedBench {
    /** Notes in the fixture: set by Main from the sizes asked for. */
    @Param({"2000"})
    public int notes;

    private Path work;
    private Side[] sides;
    private Samples[] samples;
    private boolean recording;
    private int turn;
    private List<String> citizens;
    private long nextNote;
    private long saveClock;
    private String line;
    /** Per side: where the first page ends, for the next-page lines. */
    private Object[] cursors;
    /** The line has nothing to measure at this size (one page holds every hit). */
    private boolean skip;

    @FunctionalInterface
    private interface Timed {
        /** Does the line once on {@code side} and returns the nanoseconds of its timed part. */
        long run(Side side, Blackhole bh) throws Exception;
    }

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws Exception {
        String bench = params.getBenchmark();
        line = bench.substring(bench.lastIndexOf('.') + 1);
        Path fixtures = Paths.get(Objects.requireNonNull(System.getProperty("brobygger.bench.fixtures"),
            "-Dbrobygger.bench.fixtures is not set"));
        work = Files.createTempDirectory(fixtures, "trial-");
        Fixtures.copyTree(Fixtures.dir(fixtures, notes), work);
        nextNote = Fixtures.notes(work);
        saveClock = Workload.NOW.toEpochMilli();
        sides = new Side[] {
            CoreSide.open(work, Workload.NOW.toEpochMilli()),
            JdbcSide.open(JdbcSide.Kind.PLAIN, work),
            JdbcSide.open(JdbcSide.Kind.SQLCIPHER, work),
        };
        samples = new Samples[] {new Samples(), new Samples(), new Samples()};
        citizens = ((JdbcSide) sides[1]).citizenIds();
        checkSidesAgree();
    }

    /** The same answer from every side, or the figures would compare different work. */
    private void checkSidesAgree() throws Exception {
        Results results = Results.fromProperty();
        switch (line) {
            case "searchRare", "searchCommon", "firstSearch", "countCommon" -> {
                String word = line.equals("searchCommon") || line.equals("countCommon") ? Workload.COMMON_WORD : Workload.RARE_WORD;
                same("first search page", s -> s.searchFirstPage(word, Workload.PAGE));
                if (!line.equals("firstSearch")) {
                    int core = sides[0].countMatches(word);
                    for (int s = 1; s < sides.length; s++) {
                        int n = sides[s].countMatches(word);
                        if (n != core) {
                            throw new IllegalStateException(line + ": " + sides[s].name() + " finds " + n + ", Brobygger " + core);
                        }
                    }
                    results.hits(notes, word, "all", core);
                }
            }
            case "searchRareNext", "searchCommonNext" -> {
                String word = line.equals("searchCommonNext") ? Workload.COMMON_WORD : Workload.RARE_WORD;
                cursors = new Object[sides.length];
                for (int s = 0; s < sides.length; s++) {
                    cursors[s] = sides[s].cursorAfterFirstPage(word, Workload.PAGE);
                    if ((cursors[s] == null) != (cursors[0] == null)) {
                        throw new IllegalStateException(line + ": " + sides[s].name() + " disagrees on a next page");
                    }
                }
                skip = cursors[0] == null;
                if (!skip) {
                    same("next search page", s -> s.searchAfter(word, Workload.PAGE, cursors[indexOf(s)]));
                }
            }
            case "recent" -> same("recent page", s -> s.recentPage(Workload.RECENT));
            case "today" -> same("today", s -> s.today(Workload.TODAY));
            default -> {}
        }
    }

    private int indexOf(Side side) {
        for (int s = 0; s < sides.length; s++) {
            if (sides[s] == side) {
                return s;
            }
        }
        throw new IllegalArgumentException("not a side of this trial");
    }

    private interface Query {
        List<String> ask(Side s) throws Exception;
    }

    private void same(String what, Query q) throws Exception {
        List<String> first = q.ask(sides[0]);
        if (first.isEmpty()) {
            throw new IllegalStateException(what + ": Brobygger returns nothing");
        }
        for (int s = 1; s < sides.length; s++) {
            List<String> other = q.ask(sides[s]);
            if (!first.equals(other)) {
                throw new IllegalStateException(what + ": " + sides[s].name() + " returns other ids or another order ("
                    + other.size() + " vs " + first.size() + ")");
            }
        }
    }

    @Setup(Level.Iteration)
    public void iteration(IterationParams params) {
        recording = params.getType() == IterationType.MEASUREMENT;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        Results results = Results.fromProperty();
        for (int s = 0; s < sides.length; s++) {
            if (!skip) {
                results.latency(notes, line, sides[s].name(), samples[s]);
            }
            sides[s].close();
        }
        Fixtures.deleteTree(work);
    }

    private void round(Blackhole bh, Timed op) throws Exception {
        if (skip) {
            bh.consume(turn++);
            return;
        }
        for (int k = 0; k < sides.length; k++) {
            int s = (turn + k) % sides.length;
            long nanos = op.run(sides[s], bh);
            if (recording) {
                samples[s].add(nanos);
            }
        }
        turn++;
    }

    /** A new note saved durably: the same citizen, text and time on every side. */
    @Benchmark
    public void save(Blackhole bh) throws Exception {
        long i = nextNote++;
        String citizen = Fixtures.citizenOf(citizens, i);
        String text = Workload.noteText(i);
        long at = saveClock += 1_000;
        round(bh, (side, b) -> {
            long t0 = System.nanoTime();
            b.consume(side.saveNote(citizen, text, at));
            return System.nanoTime() - t0;
        });
    }

    /** Today's agenda (20 appointments). */
    @Benchmark
    public void today(Blackhole bh) throws Exception {
        round(bh, (side, b) -> {
            long t0 = System.nanoTime();
            b.consume(side.today(Workload.TODAY));
            return System.nanoTime() - t0;
        });
    }

    @Benchmark
    public void searchRare(Blackhole bh) throws Exception {
        round(bh, (side, b) -> {
            long t0 = System.nanoTime();
            b.consume(side.searchFirstPage(Workload.RARE_WORD, Workload.PAGE));
            return System.nanoTime() - t0;
        });
    }

    @Benchmark
    public void searchCommon(Blackhole bh) throws Exception {
        round(bh, (side, b) -> {
            long t0 = System.nanoTime();
            b.consume(side.searchFirstPage(Workload.COMMON_WORD, Workload.PAGE));
            return System.nanoTime() - t0;
        });
    }

    /** The page after the first, by its cursor: it should cost what the first page costs. */
    @Benchmark
    public void searchRareNext(Blackhole bh) throws Exception {
        round(bh, (side, b) -> {
            Object cursor = cursors[indexOf(side)];
            long t0 = System.nanoTime();
            b.consume(side.searchAfter(Workload.RARE_WORD, Workload.PAGE, cursor));
            return System.nanoTime() - t0;
        });
    }

    @Benchmark
    public void searchCommonNext(Blackhole bh) throws Exception {
        round(bh, (side, b) -> {
            Object cursor = cursors[indexOf(side)];
            long t0 = System.nanoTime();
            b.consume(side.searchAfter(Workload.COMMON_WORD, Workload.PAGE, cursor));
            return System.nanoTime() - t0;
        });
    }

    /** A full count of the common word's matches (a screen that shows one; may scan). */
    @Benchmark
    public void countCommon(Blackhole bh) throws Exception {
        round(bh, (side, b) -> {
            long t0 = System.nanoTime();
            b.consume(side.countMatches(Workload.COMMON_WORD));
            return System.nanoTime() - t0;
        });
    }

    @Benchmark
    public void recent(Blackhole bh) throws Exception {
        round(bh, (side, b) -> {
            long t0 = System.nanoTime();
            b.consume(side.recentPage(Workload.RECENT));
            return System.nanoTime() - t0;
        });
    }

    /** Opening the store as at app start, before the PIN; closing it is not timed. */
    @Benchmark
    public void open(Blackhole bh) throws Exception {
        round(bh, (side, b) -> {
            long t0 = System.nanoTime();
            AutoCloseable handle = side.open();
            long t = System.nanoTime() - t0;
            handle.close();
            return t;
        });
    }

    /** The PIN (or passphrase) to a usable store; locking before it is not timed. */
    @Benchmark
    public void unlock(Blackhole bh) throws Exception {
        round(bh, (side, b) -> {
            side.lockForUnlock();
            long t0 = System.nanoTime();
            AutoCloseable handle = side.unlock();
            long t = System.nanoTime() - t0;
            handle.close();
            return t;
        });
    }

    /** The first rare-word search of a new session (opened and unlocked untimed). */
    @Benchmark
    public void firstSearch(Blackhole bh) throws Exception {
        round(bh, (side, b) -> {
            try (Side session = side.newSession()) {
                long t0 = System.nanoTime();
                b.consume(session.searchFirstPage(Workload.RARE_WORD, Workload.PAGE));
                return System.nanoTime() - t0;
            }
        });
    }
}
