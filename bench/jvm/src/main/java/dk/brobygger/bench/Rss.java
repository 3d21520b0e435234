package dk.brobygger.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * The memory probe, run by Main in a fresh JVM for each case: opens one side on a copy of the
 * fixture, reads the process's peak resident set (VmHWM in /proc/self/status, which counts the
 * Java heap, the JVM itself and the native libraries alike), does one common-word search
 * (the first page only, every hit, or a count of them), and reads the peak again.
 *
 * <p>Usage: Rss FIXTURES NOTES SIDE(core|plain|sqlcipher) CASE(page|all|count)
 */
public final class Rss {
    private Rss() {}

    public static void main(String[] args) throws Exception {
        Path fixtures = Paths.get(args[0]);
        int notes = Integer.parseInt(args[1]);
        String which = args[2];
        String what = args[3];
        Path work = Files.createTempDirectory(fixtures, "rss-");
        try {
            Fixtures.copyTree(Fixtures.dir(fixtures, notes), work);
            try (Side side = switch (which) {
                case "core" -> CoreSide.open(work, Workload.NOW.toEpochMilli());
                case "plain" -> JdbcSide.open(JdbcSide.Kind.PLAIN, work);
                case "sqlcipher" -> JdbcSide.open(JdbcSide.Kind.SQLCIPHER, work);
                default -> throw new IllegalArgumentException("side: core, plain or sqlcipher");
            }) {
                long before = vmKiB("VmHWM");
                int hits = switch (what) {
                    case "page" -> side.searchFirstPage(Workload.COMMON_WORD, Workload.PAGE).size();
                    case "all" -> side.searchAll(Workload.COMMON_WORD).size();
                    case "count" -> side.countMatches(Workload.COMMON_WORD);
                    default -> throw new IllegalArgumentException("case: page, all or count");
                };
                long peak = vmKiB("VmHWM");
                if (hits == 0) {
                    throw new IllegalStateException("the search found nothing");
                }
                Results.fromProperty().rss(notes, what, side.name(), before, peak);
                System.out.printf("rss %s %s: %d hits, VmHWM %d KiB before the search, %d KiB after%n",
                    side.name(), what, hits, before, peak);
            }
        } finally {
            Fixtures.deleteTree(work);
        }
    }

    /** A field of /proc/self/status, in KiB (Linux). */
    static long vmKiB(String field) throws Exception {
        for (String l : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (l.startsWith(field + ":")) {
                return Long.parseLong(l.substring(field.length() + 1).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException(field + " not in /proc/self/status");
    }
}
