package dk.brobygger.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prints the results file as Markdown: one table a size, the growth table, the memory table. */
public final class Report {
    private Report() {}

    private static final String CORE = "Brobygger";
    private static final String PLAIN = "plain SQLite";
    private static final String CIPHER = "SQLCipher";
    private static final String[] SIDES = {CORE, PLAIN, CIPHER};

    private record Lat(int n, long p50, long p99) {}

    private interface Budget {
        /** {@code warm}: Brobygger's warm rare-word search at the same size (for the first search). */
        boolean met(Lat core, Lat plain, Lat cipher, Lat warm);
    }

    private record Line(String label, String budget, Budget check) {}

    private static final long MS = 1_000_000;

    /** Benchmark method → what the line measures and its budget (SPEC §6, issues 8 and 15). */
    private static final Map<String, Line> LINES = new LinkedHashMap<>();

    /** The labels the "before" report (before.md) used, for the before → after column. */
    private static final Map<String, String> BEFORE_LABELS = new HashMap<>();

    static {
        LINES.put("save", new Line("durable save of a note (createNote)", "≤ 1.3× plain at p50 and p99",
            (c, p, s, w) -> c.p50 <= 1.3 * p.p50 && c.p99 <= 1.3 * p.p99 && c.p50 < s.p50 && c.p99 < s.p99));
        LINES.put("today", new Line("today(date): the Today screen in one call (20 appointments + attention list)",
            "< 2 ms", (c, p, s, w) -> c.p50 < 2 * MS && c.p50 < s.p50));
        LINES.put("searchRare", new Line("search rare word, first page of 20", "< 10 ms, ≤ 2× plain",
            (c, p, s, w) -> c.p50 < 10 * MS && c.p50 <= 2 * p.p50 && c.p50 < s.p50));
        LINES.put("searchRareNext", new Line("search rare word, next page by cursor", "< 10 ms, ≤ 2× plain, as the first page",
            (c, p, s, w) -> c.p50 < 10 * MS && c.p50 <= 2 * p.p50 && c.p50 < s.p50));
        LINES.put("searchCommon", new Line("search common word, first page of 20", "< 10 ms, ≤ 2× plain",
            (c, p, s, w) -> c.p50 < 10 * MS && c.p50 <= 2 * p.p50 && c.p50 < s.p50));
        LINES.put("searchCommonNext", new Line("search common word, next page by cursor",
            "< 10 ms, ≤ 2× plain, as the first page", (c, p, s, w) -> c.p50 < 10 * MS && c.p50 <= 2 * p.p50 && c.p50 < s.p50));
        LINES.put("countCommon", new Line("count every match of the common word (countNoteMatches)", "may scan", null));
        LINES.put("recent", new Line("recent page of 50 summaries", "≤ 2× plain",
            (c, p, s, w) -> c.p50 <= 2 * p.p50 && c.p50 < s.p50));
        LINES.put("open", new Line("open (no unlock)", "≤ 3× plain, flat",
            (c, p, s, w) -> c.p50 <= 3 * p.p50 && c.p50 < s.p50));
        LINES.put("unlock", new Line("unlock (PIN KDF; SQLCipher: its KDF)", "", (c, p, s, w) -> c.p50 < s.p50));
        LINES.put("firstSearch", new Line("first rare-word search of a new session", "< 10 ms, ≤ 1.3× a warm one",
            (c, p, s, w) -> c.p50 < 10 * MS && w != null && c.p50 <= 1.3 * w.p50 && c.p50 < s.p50));
        BEFORE_LABELS.put("durable save of a note (createNote)", "save");
        BEFORE_LABELS.put("today() (agendaDay, 20 appointments)", "today");
        BEFORE_LABELS.put("search rare word, first page", "searchRare");
        BEFORE_LABELS.put("search common word, first page", "searchCommon");
        BEFORE_LABELS.put("50 most recent notes", "recent");
        BEFORE_LABELS.put("open (no unlock)", "open");
        BEFORE_LABELS.put("unlock (PIN KDF; SQLCipher: its KDF)", "unlock");
        BEFORE_LABELS.put("first rare-word search of a new session", "firstSearch");
    }

    /** Brobygger's p50 and p99 per size and line from the "before" report, as printed there. */
    private static Map<String, String[]> readBefore(Path before) throws IOException {
        Map<String, String[]> out = new HashMap<>();
        if (before == null || !Files.exists(before)) {
            return out;
        }
        Pattern section = Pattern.compile("^### ([0-9 ]+) notes.*");
        String size = null;
        for (String l : Files.readAllLines(before)) {
            Matcher m = section.matcher(l);
            if (m.matches()) {
                size = m.group(1).replace(" ", "");
                continue;
            }
            if (size == null || !l.startsWith("| ")) {
                continue;
            }
            String[] cells = l.split("\\|");
            if (cells.length < 4) {
                continue;
            }
            String key = BEFORE_LABELS.get(cells[1].trim());
            if (key != null && !out.containsKey(size + "/" + key)) {
                out.put(size + "/" + key, new String[] {cells[2].trim(), cells[3].trim()});
            }
        }
        return out;
    }

    private static double parseMs(String s) {
        String[] p = s.trim().split(" ");
        return Double.parseDouble(p[0]);
    }

    public static void print(Results results, List<Integer> sizes) throws Exception {
        print(results, sizes, null);
    }

    public static void print(Results results, List<Integer> sizes, Path beforeFile) throws Exception {
        Map<String, String[]> before = readBefore(beforeFile);
        Map<String, Lat> lat = new HashMap<>();
        Map<String, String> info = new HashMap<>();
        Map<String, Integer> hits = new HashMap<>();
        Map<String, long[]> rss = new HashMap<>();
        for (String[] r : results.read()) {
            switch (r[0]) {
                case "lat" -> lat.put(r[1] + "/" + r[2] + "/" + r[3],
                    new Lat(Integer.parseInt(r[4]), Long.parseLong(r[5]), Long.parseLong(r[6])));
                case "hits" -> hits.put(r[1] + "/" + r[2], Integer.parseInt(r[4]));
                case "rss" -> rss.put(r[1] + "/" + r[2] + "/" + r[3], new long[] {Long.parseLong(r[4]), Long.parseLong(r[5])});
                case "info" -> info.put(r[1] + "/" + r[2], r[3]);
                default -> {}
            }
        }
        boolean quick = "true".equals(info.get("0/quick"));
        System.out.println("## Brobygger through the Kotlin bindings vs plain SQLite and SQLCipher through JDBC (JVM)");
        System.out.println();
        if (quick) {
            System.out.println("QUICK MODE: a small workload and one short iteration; it proves the benchmark runs."
                + " These figures are not measurements.");
            System.out.println();
        }
        System.out.printf("%s; %s CPUs. Plain: %s. SQLCipher: %s, SQLCipher 4 settings (legacy=4), passphrase.%n",
            info.get("0/jvm"), info.get("0/cpus"), info.get("0/plain"), info.get("0/sqlcipher"));
        System.out.printf("Workload: %s citizens, %s appointments, notes of about 400 characters; WAL, synchronous=FULL"
            + " on every side. Each line is measured on all three sides in turn, one operation each (rotating order),"
            + " in one JMH fork per line and size; ratio = Brobygger / other side (below 1: Brobygger is faster). Budgets also ask Brobygger to be"
            + " ahead of SQLCipher on every line (p50; for saves p50 and p99); \"met\" checks this run's figures.%n",
            num(Workload.citizens()), num(Workload.appointments()));
        if (info.get(sizes.get(0) + "/build_base_s") != null) {
            System.out.printf("Fixtures built in this run: the citizens and appointments through the bindings in %s s;"
                + " the notes as below.%n", info.get(sizes.get(0) + "/build_base_s"));
        }
        for (int size : sizes) {
            System.out.println();
            System.out.printf("### %s notes (rare word \"%s\": %s hits; common word \"%s\": %s hits)%n", num(size),
                Workload.RARE_WORD, count(hits.get(size + "/" + Workload.RARE_WORD)), Workload.COMMON_WORD,
                count(hits.get(size + "/" + Workload.COMMON_WORD)));
            String built = info.get(size + "/build_core_s");
            if (built != null) {
                System.out.printf("Fixture built in this run: %s notes added through the bindings (one durable createNote"
                    + " each) in %s s; to plain SQLite and SQLCipher (batched) in %s s.%n",
                    num(Integer.parseInt(info.get(size + "/build_notes_added"))), built, info.get(size + "/build_jdbc_s"));
            }
            System.out.println();
            System.out.println("| line | Brobygger p50 | p99 | plain p50 | p99 | SQLCipher p50 | p99"
                + " | ratio to plain p50 / p99 | ratio to SQLCipher p50 / p99 | samples a side | budget | met"
                + " | Brobygger before p50 / p99 → after (× of before) |");
            System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |");
            Lat warm = lat.get(size + "/searchRare/" + CORE);
            for (Map.Entry<String, Line> e : LINES.entrySet()) {
                Lat c = lat.get(size + "/" + e.getKey() + "/" + CORE);
                Lat p = lat.get(size + "/" + e.getKey() + "/" + PLAIN);
                Lat s = lat.get(size + "/" + e.getKey() + "/" + CIPHER);
                if (c == null || p == null || s == null) {
                    continue;
                }
                Line l = e.getValue();
                String[] b = before.get(size + "/" + e.getKey());
                String change = b == null ? "new line"
                    : String.format(Locale.ROOT, "%s / %s → %.2f× / %.2f×", b[0], b[1], c.p50 / 1e6 / parseMs(b[0]),
                        c.p99 / 1e6 / parseMs(b[1]));
                String budget = l.check == null ? l.budget
                    : l.budget.isEmpty() ? "ahead of SQLCipher" : l.budget + ", ahead of SQLCipher";
                System.out.printf("| %s | %s | %s | %s | %s | %s | %s | %s / %s | %s / %s | %d | %s | %s | %s |%n", l.label,
                    ms(c.p50), ms(c.p99), ms(p.p50), ms(p.p99), ms(s.p50), ms(s.p99), ratio(c.p50, p.p50),
                    ratio(c.p99, p.p99), ratio(c.p50, s.p50), ratio(c.p99, s.p99), c.n, budget,
                    quick || l.check == null ? "–" : l.check.met(c, p, s, warm) ? "yes" : "no", change);
            }
        }
        if (sizes.size() > 1) {
            int first = sizes.get(0);
            int last = sizes.get(sizes.size() - 1);
            System.out.println();
            System.out.printf("### How each cost grows: p50 at each size, and × = p50 at %s over p50 at %s notes"
                + " (%.0f× the notes)%n", num(last), num(first), (double) last / first);
            System.out.println();
            System.out.println("Sizes run in separate forks, minutes apart, so growth is not interleaved as the ratios are:"
                + " read a side's growth against the other sides' (a durable save mostly waits for fsync, whose latency"
                + " on a shared machine changes from minute to minute).");
            System.out.println();
            StringBuilder head = new StringBuilder("| line | side |");
            StringBuilder rule = new StringBuilder("| --- | --- |");
            for (int size : sizes) {
                head.append(' ').append(num(size)).append(" |");
                rule.append(" ---: |");
            }
            System.out.println(head.append(" × |"));
            System.out.println(rule.append(" ---: |"));
            for (Map.Entry<String, Line> e : LINES.entrySet()) {
                for (String side : SIDES) {
                    StringBuilder row = new StringBuilder("| " + e.getValue().label + " | " + side + " |");
                    Lat a = null;
                    Lat b = null;
                    for (int size : sizes) {
                        Lat l = lat.get(size + "/" + e.getKey() + "/" + side);
                        row.append(' ').append(l == null ? "–" : ms(l.p50)).append(" |");
                        if (size == first) {
                            a = l;
                        }
                        if (size == last) {
                            b = l;
                        }
                    }
                    row.append(' ').append(a == null || b == null ? "–" : ratio(b.p50, a.p50)).append(" |");
                    System.out.println(row);
                }
            }
        }
        if (!rss.isEmpty()) {
            int last = sizes.get(sizes.size() - 1);
            System.out.println();
            System.out.printf("### Peak resident memory of a common-word search over %s notes%n", num(last));
            System.out.println();
            System.out.println("A fresh JVM for each cell (-Xmx256m, about an Android app's heap limit; Serial GC):"
                + " VmHWM (/proc/self/status) after opening (and unlocking) → after one search, and the rise.");
            System.out.println();
            System.out.println("| search | Brobygger | plain SQLite | SQLCipher |");
            System.out.println("| --- | ---: | ---: | ---: |");
            for (String[] what : new String[][] {{"page", "first page of 20 (with paging)"},
                    {"all", "every hit, pages of 1 000 gathered (without paging)"}, {"count", "count of every match (a scan)"}}) {
                StringBuilder row = new StringBuilder("| " + what[1] + " |");
                for (String side : SIDES) {
                    long[] v = rss.get(last + "/" + what[0] + "/" + side);
                    row.append(v == null ? " – |"
                        : String.format(Locale.ROOT, " %s → %s MiB (+%s) |", mib(v[0]), mib(v[1]), mib(v[1] - v[0])));
                }
                System.out.println(row);
            }
            System.out.println();
            System.out.println("Every hit: Brobygger follows the cursor with pages of 1 000 (the most a page holds) and keeps"
                + " the ids; the JDBC sides read every matching row (no LIMIT) and keep the ids.");
        }
        System.out.println();
        System.out.printf("Run: JMH %s s, whole run %s s.%n", info.get("0/jmh_s"), info.get("0/total_s"));
    }

    static String ms(long nanos) {
        double ms = nanos / 1e6;
        String f = ms < 1 ? "%.3f" : ms < 10 ? "%.2f" : ms < 1000 ? "%.1f" : "%.0f";
        return String.format(Locale.ROOT, f + " ms", ms);
    }

    static String ratio(long a, long b) {
        return b == 0 ? "–" : String.format(Locale.ROOT, "%.2f", (double) a / b);
    }

    static String mib(long kib) {
        return String.format(Locale.ROOT, "%.1f", kib / 1024.0);
    }

    static String num(int n) {
        return String.format(Locale.ROOT, "%,d", n).replace(',', ' ');
    }

    static String count(Integer n) {
        return n == null ? "?" : num(n);
    }
}
