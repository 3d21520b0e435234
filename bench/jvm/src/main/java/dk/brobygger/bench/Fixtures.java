package dk.brobygger.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The three stores at each size, built once and copied for every benchmark run (each JMH trial
 * writes to its own copy). The Brobygger vault is built through the bindings one durable
 * createNote at a time, as the app would fill it; the plain and SQLCipher databases get the same
 * citizens, appointments and notes (same ids, texts and times) in batched transactions. A
 * larger size starts from a copy of the next smaller one. A fixture records the library it was
 * built with ({@code stamp}) and is rebuilt when that changes.
 */
public final class Fixtures {
    private Fixtures() {}

    private static final String PROPS = "fixture.properties";

    public static Path dir(Path root, int notes) {
        return root.resolve(Integer.toString(notes));
    }

    /** Makes sure a fixture exists for every size (ascending), building what is missing. */
    public static void ensure(Path root, List<Integer> sizes, String stamp, Results results) throws Exception {
        Files.createDirectories(root);
        Path previous = null;
        for (int size : sizes) {
            Path dir = dir(root, size);
            Properties p = read(dir);
            if (p == null || !stamp.equals(p.getProperty("stamp"))) {
                deleteTree(dir);
                Path tmp = root.resolve(size + ".building");
                deleteTree(tmp);
                if (previous == null) {
                    Files.createDirectories(tmp);
                    createEmpty(tmp, results, size);
                } else {
                    copyTree(previous, tmp);
                }
                grow(tmp, size, results);
                Properties out = read(tmp);
                out.setProperty("stamp", stamp);
                write(tmp, out);
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } else {
                System.out.printf("fixture %d: reused (%s)%n", size, dir);
            }
            previous = dir;
        }
    }

    /** The vault with its citizens and appointments, and the same rows in both databases. */
    private static void createEmpty(Path dir, Results results, int size) throws Exception {
        long t0 = System.nanoTime();
        int citizens = Workload.citizens();
        int appointments = Workload.appointments();
        try (CoreSide core = CoreSide.create(dir);
                JdbcSide plain = JdbcSide.open(JdbcSide.Kind.PLAIN, dir);
                JdbcSide cipher = JdbcSide.open(JdbcSide.Kind.SQLCIPHER, dir)) {
            String[] ids = new String[citizens];
            for (int c = 0; c < citizens; c++) {
                ids[c] = core.addCitizen(c);
            }
            CoreSide.Booked[] booked = new CoreSide.Booked[appointments];
            for (int a = 0; a < appointments; a++) {
                booked[a] = core.book(a, ids[a % citizens]);
            }
            long at = Workload.BOOKED_AT.toEpochMilli();
            for (JdbcSide side : List.of(plain, cipher)) {
                side.createSchema();
                side.begin();
                for (int c = 0; c < citizens; c++) {
                    side.insertCitizen(ids[c], c, at);
                }
                for (int a = 0; a < appointments; a++) {
                    CoreSide.Booked b = booked[a];
                    side.insertAppointment(b.getId(), ids[a % citizens], b.getStartsAt(), b.getEndsAt(), b.getTimeZone(), at);
                }
                side.commit();
            }
        }
        Properties p = new Properties();
        p.setProperty("notes", "0");
        write(dir, p);
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("fixture: %d citizens and %d appointments booked through the bindings in %.1f s%n",
            citizens, appointments, s);
        results.info(size, "build_base_s", String.format("%.1f", s));
    }

    /** Adds notes until there are {@code target}. */
    private static void grow(Path dir, int target, Results results) throws Exception {
        Properties p = read(dir);
        int from = Integer.parseInt(p.getProperty("notes"));
        long coreNanos = 0;
        long jdbcNanos = 0;
        try (CoreSide core = CoreSide.open(dir, Workload.noteAt(from));
                JdbcSide plain = JdbcSide.open(JdbcSide.Kind.PLAIN, dir);
                JdbcSide cipher = JdbcSide.open(JdbcSide.Kind.SQLCIPHER, dir)) {
            List<String> citizens = plain.citizenIds();
            final int batch = 1_000;
            for (int start = from; start < target; start += batch) {
                int end = Math.min(target, start + batch);
                String[] ids = new String[end - start];
                long t = System.nanoTime();
                for (int i = start; i < end; i++) {
                    core.setNow(Workload.noteAt(i));
                    ids[i - start] = core.saveNote(citizenOf(citizens, i), Workload.noteText(i), Workload.noteAt(i));
                }
                coreNanos += System.nanoTime() - t;
                t = System.nanoTime();
                for (JdbcSide side : List.of(plain, cipher)) {
                    side.begin();
                    for (int i = start; i < end; i++) {
                        side.insertNote(ids[i - start], citizenOf(citizens, i), Workload.noteText(i), Workload.noteAt(i));
                    }
                    side.commit();
                }
                jdbcNanos += System.nanoTime() - t;
            }
            plain.checkEncryption();
            cipher.checkEncryption();
        }
        p.setProperty("notes", Integer.toString(target));
        write(dir, p);
        int added = target - from;
        System.out.printf("fixture %d: %d notes added, through the bindings in %.1f s (%.2f ms a durable createNote),"
            + " to both JDBC databases in %.1f s (batched)%n", target, added, coreNanos / 1e9,
            added == 0 ? 0 : coreNanos / 1e6 / added, jdbcNanos / 1e9);
        results.info(target, "build_notes_added", Integer.toString(added));
        results.info(target, "build_core_s", String.format("%.1f", coreNanos / 1e9));
        results.info(target, "build_jdbc_s", String.format("%.1f", jdbcNanos / 1e9));
    }

    public static String citizenOf(List<String> citizens, long i) {
        int c = Workload.noteCitizen(i);
        return c < 0 ? null : citizens.get(c);
    }

    public static int notes(Path fixture) throws IOException {
        return Integer.parseInt(read(fixture).getProperty("notes"));
    }

    private static Properties read(Path dir) throws IOException {
        Path f = dir.resolve(PROPS);
        if (!Files.exists(f)) {
            return null;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(f)) {
            p.load(in);
        }
        return p;
    }

    private static void write(Path dir, Properties p) throws IOException {
        try (OutputStream out = Files.newOutputStream(dir.resolve(PROPS))) {
            p.store(out, "Brobygger JVM benchmark fixture");
        }
    }

    public static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
