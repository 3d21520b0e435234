package dk.brobygger.bench;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * The workload every side gets, generated the same way as core/benches/vault.rs and
 * core/benches/agenda.rs: the same vocabulary, the same xorshift stream per note, one note in a
 * hundred naming Ærøskøbing, one in ten anonymous; 20 appointments on each weekday from
 * 6 January 2026, booked on 5 January. Notes here have 60 words (about 400 characters, as the
 * phones' notes are) where the Rust bench has 90.
 */
public final class Workload {
    private Workload() {}

    /** The full workload, or a small one that only proves the benchmark runs (CI). */
    public static boolean quick() {
        return Boolean.getBoolean("brobygger.bench.quick");
    }

    public static int citizens() {
        return quick() ? 20 : 200;
    }

    public static int appointments() {
        return quick() ? 100 : 5_000;
    }

    public static final String PIN = "482915";
    /** SQLCipher's passphrase: a passphrase, not a raw key, so its default KDF runs on open. */
    public static final String CIPHER_PASSPHRASE = "brobygger-bench-passphrase";

    /** In about 1 % of the notes (100 hits at 10 000 notes), as typed in the text. */
    public static final String RARE_WORD = "Ærøskøbing";
    /** In about 86 % of the notes. */
    public static final String COMMON_WORD = "bolig";
    public static final int PAGE = 20;
    public static final int RECENT = 50;

    public static final ZoneId ZONE = ZoneId.of("Europe/Copenhagen");
    /** When the appointments are booked. */
    public static final Instant BOOKED_AT = Instant.parse("2026-01-05T07:00:00Z");
    /** The first day with appointments; the quick workload's week holds TODAY. */
    public static LocalDate firstAppointmentDay() {
        return quick() ? LocalDate.of(2026, 6, 15) : LocalDate.of(2026, 1, 6);
    }
    /** Note i is written at NOTES_FROM + 30 s × i: 30 000 notes end on 11 June. */
    public static final Instant NOTES_FROM = Instant.parse("2026-06-01T00:00:00Z");
    public static final long NOTE_STEP_MS = 30_000;
    /** The benchmark's "now": a Tuesday with 20 appointments, after every note. */
    public static final LocalDate TODAY = LocalDate.of(2026, 6, 16);
    public static final Instant NOW = Instant.parse("2026-06-16T06:00:00Z");

    private static final String[] WORDS = {
        "kaffe", "snak", "om", "bolig", "ydelseskontoret", "brev", "hjælp", "til", "ansøgning", "læge", "aftale",
        "misbrugscenter", "økonomi", "gæld", "handleplan", "jobcenter", "samtale", "værested", "familie", "søvn",
        "mødte", "op", "i", "dag", "og", "fortalte", "at", "han", "vil", "gerne", "have", "støtte",
    };
    private static final int WORDS_PER_NOTE = 60;

    /** The text of note i (the same stream as the Rust bench's note_text, 60 words long). */
    public static String noteText(long i) {
        StringBuilder s = new StringBuilder(440).append("Note ").append(i).append(": ");
        if (i % 100 == 0) {
            s.append("Vil flytte til Ærøskøbing. ");
        }
        long x = i * 2654435761L + 1;
        for (int w = 0; w < WORDS_PER_NOTE; w++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            s.append(WORDS[(int) Long.remainderUnsigned(x, WORDS.length)]).append(' ');
        }
        return s.toString();
    }

    /** Note i's citizen (an index into the citizens), or -1 for an anonymous note. */
    public static int noteCitizen(long i) {
        return i % 10 == 0 ? -1 : (int) (i % citizens());
    }

    public static long noteAt(long i) {
        return NOTES_FROM.toEpochMilli() + i * NOTE_STEP_MS;
    }

    /** Topics the core stores sealed, the plain sides as this JSON. */
    public static final String DETAILS_JSON = "{\"topics\":[\"finances_housing\"],\"help_given\":[]}";

    public static String nickname(int c) {
        return "Borger " + c;
    }

    /** A Danish mobile number, as agenda.rs gives its citizens. */
    public static String phone(int c) {
        return String.format("20%06d", 304_050 + c);
    }

    /** Appointment a: its local start, 20 a weekday, every 20 minutes from 9:00. */
    public static String appointmentLocalStart(int a) {
        int day = a / 20;
        int slot = a % 20;
        LocalDate date = firstAppointmentDay();
        for (int weekdays = 0; ; date = date.plusDays(1)) {
            if (date.getDayOfWeek().getValue() <= 5) {
                if (weekdays == day) {
                    break;
                }
                weekdays++;
            }
        }
        return String.format("%sT%02d:%02d", date, 9 + slot / 3, (slot % 3) * 20);
    }

    public static final int APPOINTMENT_MINUTES = 20;
}
