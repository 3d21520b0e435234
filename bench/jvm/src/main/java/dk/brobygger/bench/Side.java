package dk.brobygger.bench;

import java.time.LocalDate;
import java.util.List;

/**
 * One side of the comparison, opened on its copy of the fixture: Brobygger through the
 * bindings, plain SQLite or SQLCipher through JDBC. Each method is one thing a screen needs;
 * lists come back as ids, in order, so the sides can be checked against each other.
 */
public interface Side extends AutoCloseable {
    String name();

    /** Saves a new note durably (one transaction, synced) and returns its id. */
    String saveNote(String citizenId, String text, long atMillis) throws Exception;

    /** Today's appointments, by start time (Brobygger: the whole Today screen in one call). */
    List<String> today(LocalDate date) throws Exception;

    /** The first page of notes containing {@code word}, newest conversation first. */
    List<String> searchFirstPage(String word, int limit) throws Exception;

    /** Where the first page ends (Brobygger: its cursor; JDBC: the last row's time and id); null on one page. */
    Object cursorAfterFirstPage(String word, int limit) throws Exception;

    /** The page after {@code cursor} (from {@link #cursorAfterFirstPage}). */
    List<String> searchAfter(String word, int limit, Object cursor) throws Exception;

    /** Every hit, as a caller that wants them all would gather them (memory figure). */
    List<String> searchAll(String word) throws Exception;

    /** How many notes contain {@code word} (a full scan on every side). */
    int countMatches(String word) throws Exception;

    /** The notes of the most recent conversations. */
    List<String> recentPage(int limit) throws Exception;

    /** Opens the store as at app start (Brobygger: locked); the caller closes it, untimed. */
    AutoCloseable open() throws Exception;

    /** Untimed preparation for {@link #unlock()}: Brobygger locks its open vault. */
    void lockForUnlock() throws Exception;

    /**
     * What stands between the PIN (or passphrase) and the first screen: Brobygger's unlock with
     * its PIN KDF; SQLCipher opens with its passphrase (its KDF) and reads; plain SQLite, which
     * has nothing to unlock, opens and reads. What it returns is closed afterwards, untimed.
     */
    AutoCloseable unlock() throws Exception;

    /** A second session on the same files, opened and unlocked: for "first search of a session". */
    Side newSession() throws Exception;

    @Override
    void close() throws Exception;
}
