package dk.brobygger.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Plain SQLite (xerial sqlite-jdbc) or SQLCipher (SQLite3MultipleCiphers in SQLCipher 4 mode,
 * default KDF) with the shape of the product's tables and indexes, the text in plaintext
 * columns, and the product's pragmas: WAL, synchronous=FULL, secure_delete, foreign keys,
 * temp_store=MEMORY. A durable save is one INSERT in its own (autocommit) transaction.
 * Statements are prepared once per connection, as an app's data layer caches them.
 */
public final class JdbcSide implements Side {
    public enum Kind {
        PLAIN("plain SQLite", "plain.db"),
        SQLCIPHER("SQLCipher", "sqlcipher.db");

        final String label;
        final String file;

        Kind(String label, String file) {
            this.label = label;
            this.file = file;
        }
    }

    /**
     * The product's notes (0003_notes.sql, 0010_notes_pages.sql) and appointments (0005) tables,
     * plaintext, with the product's indexes: notes newest conversation first ({@code occurred_at
     * DESC, id DESC}), by citizen, and the open drafts and final notes for Today.
     */
    static final String[] SCHEMA = {
        "CREATE TABLE citizens (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
            + " nickname TEXT NOT NULL, phone TEXT)",
        "CREATE TABLE notes (id TEXT PRIMARY KEY, citizen_id TEXT REFERENCES citizens(id) ON DELETE CASCADE,"
            + " state TEXT NOT NULL CHECK (state IN ('draft', 'final', 'journalised')),"
            + " occurred_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, body TEXT NOT NULL, details TEXT NOT NULL)",
        "CREATE INDEX notes_by_occurred ON notes(occurred_at DESC, id DESC)",
        "CREATE INDEX notes_by_citizen ON notes(citizen_id, occurred_at DESC, id DESC)",
        "CREATE INDEX notes_open ON notes(state, updated_at) WHERE state IN ('draft', 'final')",
        "CREATE TABLE appointments (id TEXT PRIMARY KEY, citizen_id TEXT REFERENCES citizens(id),"
            + " kind TEXT NOT NULL, starts_at INTEGER NOT NULL, ends_at INTEGER NOT NULL, time_zone TEXT NOT NULL,"
            + " status TEXT NOT NULL, outside_place TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
            + " CHECK (starts_at < ends_at))",
        "CREATE INDEX appointments_by_start ON appointments(starts_at)",
        "CREATE INDEX appointments_by_citizen ON appointments(citizen_id, starts_at)",
    };

    private static final String NOTE_COLUMNS = "id, citizen_id, state, occurred_at, updated_at, body, details";
    // The plain query: LIKE '%word%' ORDER BY occurred_at DESC LIMIT 20, on the index
    // notes_by_occurred, in the core's order (occurred_at DESC, id DESC); the next page starts
    // after the last row shown (a keyset, as the core's cursor does).
    private static final String SEARCH = "SELECT " + NOTE_COLUMNS
        + " FROM notes WHERE body LIKE ?1 ORDER BY occurred_at DESC, id DESC LIMIT ?2";
    private static final String SEARCH_AFTER = "SELECT " + NOTE_COLUMNS
        + " FROM notes WHERE body LIKE ?1 AND (occurred_at, id) < (?3, ?4) ORDER BY occurred_at DESC, id DESC LIMIT ?2";
    private static final String RECENT =
        "SELECT " + NOTE_COLUMNS + " FROM notes ORDER BY occurred_at DESC, id DESC LIMIT ?1";
    private static final String INSERT_NOTE =
        "INSERT INTO notes (id, citizen_id, state, occurred_at, updated_at, body, details) VALUES (?, ?, 'draft', ?, ?, ?, ?)";
    private static final String TODAY = "SELECT id, citizen_id, kind, starts_at, ends_at, time_zone, status, outside_place"
        + " FROM appointments WHERE starts_at >= ?1 AND starts_at < ?2 AND status != 'rescheduled' ORDER BY starts_at, id";

    private final Kind kind;
    private final Path file;
    private final Connection conn;
    private final SecureRandom random = new SecureRandom();
    private PreparedStatement insertNote;
    private PreparedStatement search;
    private PreparedStatement searchAfter;
    private PreparedStatement count;
    private PreparedStatement recent;
    private PreparedStatement today;

    private JdbcSide(Kind kind, Path file) throws Exception {
        this.kind = kind;
        this.file = file;
        this.conn = connect(kind, file);
    }

    /** Opens (creating when missing) the kind's database in {@code dir}. */
    public static JdbcSide open(Kind kind, Path dir) throws Exception {
        return new JdbcSide(kind, dir.resolve(kind.file));
    }

    private static Connection connect(Kind kind, Path file) throws Exception {
        Connection c;
        if (kind == Kind.PLAIN) {
            c = Drivers.connect(Drivers.plain(), "jdbc:sqlite:" + file);
        } else {
            // SQLite3MultipleCiphers' URI parameters: the SQLCipher scheme with SQLCipher 4's
            // defaults (PBKDF2-HMAC-SHA512 × 256 000, HMAC-SHA512, 4 KiB pages).
            c = Drivers.connect(Drivers.sqlcipher(),
                "jdbc:sqlite:file:" + file + "?cipher=sqlcipher&legacy=4&key=" + Workload.CIPHER_PASSPHRASE);
        }
        try (Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("PRAGMA journal_mode=WAL")) {
                if (!r.next() || !"wal".equalsIgnoreCase(r.getString(1))) {
                    throw new SQLException("cannot enable WAL");
                }
            }
            s.execute("PRAGMA synchronous=FULL");
            s.execute("PRAGMA secure_delete=ON");
            s.execute("PRAGMA foreign_keys=ON");
            s.execute("PRAGMA temp_store=MEMORY");
        }
        return c;
    }

    @Override
    public String name() {
        return kind.label;
    }

    // Building the fixture (untimed)

    public void createSchema() throws SQLException {
        try (Statement s = conn.createStatement()) {
            for (String sql : SCHEMA) {
                s.execute(sql);
            }
        }
    }

    public void begin() throws SQLException {
        conn.setAutoCommit(false);
    }

    public void commit() throws SQLException {
        conn.commit();
        conn.setAutoCommit(true);
    }

    public void insertCitizen(String id, int c, long at) throws SQLException {
        try (PreparedStatement p = conn.prepareStatement(
                "INSERT INTO citizens (id, created_at, updated_at, nickname, phone) VALUES (?, ?, ?, ?, ?)")) {
            p.setString(1, id);
            p.setLong(2, at);
            p.setLong(3, at);
            p.setString(4, Workload.nickname(c));
            p.setString(5, "+45" + Workload.phone(c));
            p.executeUpdate();
        }
    }

    public void insertAppointment(String id, String citizenId, long startsAt, long endsAt, String zone, long at)
            throws SQLException {
        try (PreparedStatement p = conn.prepareStatement("INSERT INTO appointments (id, citizen_id, kind, starts_at,"
                + " ends_at, time_zone, status, created_at, updated_at) VALUES (?, ?, 'conversation', ?, ?, ?, 'planned', ?, ?)")) {
            p.setString(1, id);
            p.setString(2, citizenId);
            p.setLong(3, startsAt);
            p.setLong(4, endsAt);
            p.setString(5, zone);
            p.setLong(6, at);
            p.setLong(7, at);
            p.executeUpdate();
        }
    }

    public void insertNote(String id, String citizenId, String text, long at) throws SQLException {
        if (insertNote == null) {
            insertNote = conn.prepareStatement(INSERT_NOTE);
        }
        insertNote.setString(1, id);
        insertNote.setString(2, citizenId);
        insertNote.setLong(3, at);
        insertNote.setLong(4, at);
        insertNote.setString(5, text);
        insertNote.setString(6, Workload.DETAILS_JSON);
        insertNote.executeUpdate();
    }

    /** The citizens' ids, in the order they were registered. */
    public List<String> citizenIds() throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Statement s = conn.createStatement();
                ResultSet r = s.executeQuery("SELECT id FROM citizens ORDER BY created_at, rowid")) {
            while (r.next()) {
                ids.add(r.getString(1));
            }
        }
        return ids;
    }

    public int count(String sql) throws SQLException {
        try (Statement s = conn.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getInt(1);
        }
    }

    public String version() throws SQLException {
        String sql = kind == Kind.PLAIN ? "SELECT 'SQLite ' || sqlite_version()"
            : "SELECT 'SQLite ' || sqlite_version() || ', ' || sqlite3mc_version()";
        try (Statement s = conn.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }

    /** SQLCipher's file must not carry SQLite's plaintext header; plain SQLite's must. */
    public void checkEncryption() throws Exception {
        byte[] head = new byte[16];
        try (var in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, 16) != 16) {
                throw new IllegalStateException(kind.label + ": database file too short");
            }
        }
        boolean plaintextHeader = new String(head, java.nio.charset.StandardCharsets.ISO_8859_1).startsWith("SQLite format 3");
        if (plaintextHeader != (kind == Kind.PLAIN)) {
            throw new IllegalStateException(kind.label + ": unexpected file header (encryption not as configured)");
        }
    }

    // What the benchmark times

    @Override
    public String saveNote(String citizenId, String text, long atMillis) throws SQLException {
        byte[] raw = new byte[16];
        random.nextBytes(raw);
        String id = HexFormat.of().formatHex(raw);
        insertNote(id, citizenId, text, atMillis);
        return id;
    }

    @Override
    public List<String> today(LocalDate date) throws SQLException {
        if (today == null) {
            today = conn.prepareStatement(TODAY);
        }
        today.setLong(1, date.atStartOfDay(Workload.ZONE).toInstant().toEpochMilli());
        today.setLong(2, date.plusDays(1).atStartOfDay(Workload.ZONE).toInstant().toEpochMilli());
        List<String> ids = new ArrayList<>();
        try (ResultSet r = today.executeQuery()) {
            while (r.next()) {
                Appointment a = new Appointment(r.getString(1), r.getString(2), r.getString(3), r.getLong(4),
                    r.getLong(5), r.getString(6), r.getString(7), r.getString(8));
                ids.add(a.id);
            }
        }
        return ids;
    }

    @Override
    public List<String> searchFirstPage(String word, int limit) throws SQLException {
        return ids(search(word, limit));
    }

    /** The keyset after the first page: the last row's conversation time and id. */
    record After(long occurredAt, String id) {}

    @Override
    public Object cursorAfterFirstPage(String word, int limit) throws SQLException {
        List<Note> first = search(word, limit + 1);
        if (first.size() <= limit) {
            return null;
        }
        Note last = first.get(limit - 1);
        return new After(last.occurredAt(), last.id());
    }

    @Override
    public List<String> searchAfter(String word, int limit, Object cursor) throws SQLException {
        After after = (After) cursor;
        if (searchAfter == null) {
            searchAfter = conn.prepareStatement(SEARCH_AFTER);
        }
        searchAfter.setString(1, "%" + word + "%");
        searchAfter.setInt(2, limit);
        searchAfter.setLong(3, after.occurredAt());
        searchAfter.setString(4, after.id());
        return ids(notes(searchAfter));
    }

    @Override
    public int countMatches(String word) throws SQLException {
        if (count == null) {
            count = conn.prepareStatement("SELECT count(*) FROM notes WHERE body LIKE ?");
        }
        count.setString(1, "%" + word + "%");
        try (ResultSet r = count.executeQuery()) {
            r.next();
            return r.getInt(1);
        }
    }

    @Override
    public List<String> searchAll(String word) throws SQLException {
        return ids(search(word, -1)); // LIMIT -1: no limit
    }

    private List<Note> search(String word, int limit) throws SQLException {
        if (search == null) {
            search = conn.prepareStatement(SEARCH);
        }
        search.setString(1, "%" + word + "%");
        search.setInt(2, limit);
        return notes(search);
    }

    @Override
    public List<String> recentPage(int limit) throws SQLException {
        if (recent == null) {
            recent = conn.prepareStatement(RECENT);
        }
        recent.setInt(1, limit);
        return ids(notes(recent));
    }

    @Override
    public AutoCloseable open() throws Exception {
        return connect(kind, file);
    }

    @Override
    public void lockForUnlock() {}

    @Override
    public AutoCloseable unlock() throws Exception {
        Connection c = connect(kind, file);
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM citizens")) {
            r.next();
        }
        return c;
    }

    @Override
    public Side newSession() throws Exception {
        return new JdbcSide(kind, file);
    }

    @Override
    public void close() throws SQLException {
        conn.close();
    }

    /** A row as the app's data layer would hold it: every column read, the text decoded. */
    record Note(String id, String citizenId, String state, long occurredAt, long updatedAt, String body, String details) {}

    record Appointment(String id, String citizenId, String kind, long startsAt, long endsAt, String zone, String status,
            String outsidePlace) {}

    private static List<Note> notes(PreparedStatement p) throws SQLException {
        List<Note> out = new ArrayList<>();
        try (ResultSet r = p.executeQuery()) {
            while (r.next()) {
                out.add(new Note(r.getString(1), r.getString(2), r.getString(3), r.getLong(4), r.getLong(5),
                    r.getString(6), r.getString(7)));
            }
        }
        return out;
    }

    private static List<String> ids(List<Note> notes) {
        List<String> ids = new ArrayList<>(notes.size());
        for (Note n : notes) {
            ids.add(n.id());
        }
        return ids;
    }
}
