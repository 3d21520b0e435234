package dk.brobygger.bench

import dk.brobygger.core.AppointmentKind
import dk.brobygger.core.Clock
import dk.brobygger.core.ConsentMethod
import dk.brobygger.core.KeyStore
import dk.brobygger.core.NewAppointment
import dk.brobygger.core.NewCitizen
import dk.brobygger.core.NoteInput
import dk.brobygger.core.SmsLanguage
import dk.brobygger.core.Topic
import dk.brobygger.core.Vault
import dk.brobygger.core.WorkerRole
import dk.brobygger.core.createVault
import dk.brobygger.platform.CipherKeyStore
import dk.brobygger.platform.KeyProvider
import java.nio.file.Files
import java.nio.file.Path
import java.security.SecureRandom
import java.time.Instant
import java.time.LocalDate
import java.util.Base64
import java.util.Properties
import javax.crypto.SecretKey
import javax.crypto.spec.SecretKeySpec

/**
 * Brobygger as the Android shell calls it: the generated Kotlin bindings over JNA, the shell's
 * CipherKeyStore, an injected clock. This is the only file that calls the Brobygger API, so the
 * coming API change (pages of summaries with a cursor, createNote returning a summary,
 * `today(date)`, a new KeyStore trait) is made here and nowhere else; the places are marked
 * "API CHANGE".
 */
class CoreSide private constructor(
    private val root: Path,
    private val keys: KeyStore,
    private val clock: BenchClock,
    private val vault: Vault,
) : Side {
    override fun name() = "Brobygger"

    // Building the fixture (untimed)

    fun addCitizen(c: Int): String =
        vault.addCitizen(
            NewCitizen(nickname = Workload.nickname(c), phone = Workload.phone(c), smsConsent = ConsentMethod.VERBAL, language = SmsLanguage.DA),
        ).id

    /** Books appointment [a] and returns the row the plain sides store: id, start, end (ms), zone. */
    fun book(a: Int, citizenId: String): Booked {
        val booking = vault.bookAppointment(
            NewAppointment(citizenId = citizenId, localStart = Workload.appointmentLocalStart(a),
                durationMinutes = Workload.APPOINTMENT_MINUTES.toUInt(), kind = AppointmentKind.CONVERSATION),
        )
        val ap = booking.appointment
        return Booked(ap.id, ap.startsAt.toEpochMilli(), ap.endsAt.toEpochMilli(), ap.timeZone)
    }

    /** Moves the injected clock; a jump past the auto-lock time needs the PIN again. */
    fun setNow(millis: Long) {
        clock.millis = millis
        if (!vault.isUnlocked()) vault.unlock(Workload.PIN)
    }

    // What the benchmark times

    override fun saveNote(citizenId: String?, text: String, atMillis: Long): String {
        clock.millis = atMillis
        // API CHANGE: createNote will return a small summary instead of the whole note.
        return vault.createNote(NoteInput(citizenId = citizenId, text = text, topics = listOf(Topic.FINANCES_HOUSING))).id
    }

    // API CHANGE: becomes vault.today(date), one call for the whole screen.
    override fun today(date: LocalDate): List<String> = vault.agendaDay(date.toString()).map { it.id }

    // API CHANGE (paging): vault.searchNotes(word, limit, cursor = null) returns the first page;
    // today every hit comes back and the first page is cut here.
    override fun searchFirstPage(word: String, limit: Int): List<String> = vault.searchNotes(word).take(limit).map { it.id }

    // API CHANGE (paging): follow the cursor page by page, gathering every id.
    override fun searchAll(word: String): List<String> = vault.searchNotes(word).map { it.id }

    // API CHANGE (paging): vault.listNotes(limit, cursor = null) returning summaries.
    override fun recentPage(limit: Int): List<String> = vault.listNotes(null, limit.toUInt()).map { it.id }

    override fun open(): AutoCloseable = Vault.open(vaultDir(root).toString(), keys, clock)

    override fun lockForUnlock() = vault.lock()

    override fun unlock(): AutoCloseable {
        vault.unlock(Workload.PIN)
        return AutoCloseable {}
    }

    override fun newSession(): Side = open(root, keys, clock)

    override fun close() = vault.close()

    data class Booked(val id: String, val startsAt: Long, val endsAt: Long, val timeZone: String)

    companion object {
        private fun vaultDir(root: Path): Path = root.resolve("vault")

        private fun keyStore(root: Path): KeyStore = CipherKeyStore(FileKeyProvider(root.resolve("platform-keys.properties")))

        /** A new vault in [root] (real PIN KDF, through create_vault), with the worker's profile. */
        @JvmStatic
        fun create(root: Path): CoreSide {
            val clock = BenchClock(Workload.BOOKED_AT.toEpochMilli())
            val keys = keyStore(root)
            val vault = createVault(vaultDir(root).toString(), Workload.PIN, keys, clock).vault
            vault.setWorkerProfile("Mette", "61223344", WorkerRole.CASEWORKER)
            return CoreSide(root, keys, clock, vault)
        }

        /** The vault in [root], opened and unlocked with the PIN, its clock at [atMillis]. */
        @JvmStatic
        fun open(root: Path, atMillis: Long): CoreSide = open(root, keyStore(root), BenchClock(atMillis))

        private fun open(root: Path, keys: KeyStore, clock: BenchClock): CoreSide {
            val vault = Vault.open(vaultDir(root).toString(), keys, clock)
            vault.unlock(Workload.PIN)
            return CoreSide(root, keys, clock, vault)
        }
    }
}

/** A clock the benchmark sets: the core never reads the system clock. */
class BenchClock(@Volatile var millis: Long) : Clock {
    override fun now(): Instant = Instant.ofEpochMilli(millis)
}

/**
 * Stands in for the Android Keystore under the shell's CipherKeyStore: AES-256 keys kept in a
 * file beside the fixture, so a vault built once can be opened by every benchmark JVM.
 */
class FileKeyProvider(private val file: Path) : KeyProvider {
    private val keys = Properties().apply { if (Files.exists(file)) Files.newInputStream(file).use { load(it) } }

    @Synchronized
    override fun key(name: String, create: Boolean): SecretKey? {
        keys.getProperty(name)?.let { return SecretKeySpec(Base64.getDecoder().decode(it), "AES") }
        if (!create) return null
        val raw = ByteArray(32).also(SecureRandom()::nextBytes)
        keys.setProperty(name, Base64.getEncoder().encodeToString(raw))
        save()
        return SecretKeySpec(raw, "AES")
    }

    @Synchronized
    override fun delete(name: String) {
        keys.remove(name)
        save()
    }

    private fun save() = Files.newOutputStream(file).use { keys.store(it, null) }
}
