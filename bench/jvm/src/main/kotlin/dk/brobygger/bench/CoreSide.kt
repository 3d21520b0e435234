package dk.brobygger.bench

import dk.brobygger.core.AppointmentKind
import dk.brobygger.core.Clock
import dk.brobygger.core.ConsentMethod
import dk.brobygger.core.KeyPurpose
import dk.brobygger.core.KeyStore
import dk.brobygger.core.KeyStoreException
import dk.brobygger.core.NewAppointment
import dk.brobygger.core.NewCitizen
import dk.brobygger.core.NoteInput
import dk.brobygger.core.SmsLanguage
import dk.brobygger.core.Topic
import dk.brobygger.core.Vault
import dk.brobygger.core.WorkerRole
import dk.brobygger.core.createVault
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption
import java.security.SecureRandom
import java.time.Instant
import java.time.LocalDate
import java.time.LocalDateTime
import java.util.Base64
import java.util.Properties
import javax.crypto.AEADBadTagException
import javax.crypto.Cipher
import javax.crypto.Mac
import javax.crypto.spec.GCMParameterSpec
import javax.crypto.spec.SecretKeySpec

/**
 * Brobygger as the Android shell calls it: the generated Kotlin bindings over JNA, a key store
 * doing what the Android Keystore does (HMAC-SHA256 PIN factor, AES-GCM wraps), an injected
 * clock. This is the only file that calls the Brobygger API.
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
            NewAppointment(citizenId = citizenId, localStart = LocalDateTime.parse(Workload.appointmentLocalStart(a)),
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

    /** The note screen's first save: durable when it returns; the core answers with a small NoteSaved. */
    override fun saveNote(citizenId: String?, text: String, atMillis: Long): String {
        clock.millis = atMillis
        return vault.createNote(NoteInput(citizenId = citizenId, text = text, topics = listOf(Topic.FINANCES_HOUSING))).id
    }

    /** The Today screen in one call; its appointments' ids, by start. */
    override fun today(date: LocalDate): List<String> = vault.today(date).appointments.map { it.appointmentId }

    override fun searchFirstPage(word: String, limit: Int): List<String> =
        vault.searchNotes(word, limit.toUInt(), null).items.map { it.id }

    override fun cursorAfterFirstPage(word: String, limit: Int): Any? =
        vault.searchNotes(word, limit.toUInt(), null).nextCursor

    override fun searchAfter(word: String, limit: Int, cursor: Any?): List<String> =
        vault.searchNotes(word, limit.toUInt(), cursor as String).items.map { it.id }

    /** Every hit, page by page of 1 000 (the most a page holds), gathering the ids. */
    override fun searchAll(word: String): List<String> {
        val ids = ArrayList<String>()
        var cursor: String? = null
        do {
            val page = vault.searchNotes(word, 1_000u, cursor)
            page.items.mapTo(ids) { it.id }
            cursor = page.nextCursor
        } while (cursor != null)
        return ids
    }

    override fun countMatches(word: String): Int = vault.countNoteMatches(word).matches.toInt()

    override fun recentPage(limit: Int): List<String> = vault.listNotes(null, limit.toUInt(), null).items.map { it.id }

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

        private fun keyStore(root: Path): KeyStore = FileKeyStore(root.resolve("platform-keys.properties"))

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
 * Stands in for the Android Keystore: named 256-bit keys that the core never sees, used for
 * HMAC-SHA256 (the PIN factor, as a Keystore HMAC key computes it) and AES-GCM (the wraps),
 * through javax.crypto. The keys are kept in a file beside the fixture (written atomically at
 * every change), so a vault built once opens in every benchmark JVM. The core replaces the
 * "vault state" key at every unlock and lock and deletes the old one, so the file stays small.
 */
class FileKeyStore(private val file: Path) : KeyStore {
    private val keys = Properties().apply { if (Files.exists(file)) Files.newInputStream(file).use { load(it) } }
    private val random = SecureRandom()

    @Synchronized
    private fun key(name: String, create: Boolean): ByteArray? {
        keys.getProperty(name)?.let { return Base64.getDecoder().decode(it) }
        if (!create) return null
        val raw = ByteArray(32).also(random::nextBytes)
        keys.setProperty(name, Base64.getEncoder().encodeToString(raw))
        save()
        return raw
    }

    override fun pinFactor(keyName: String, input: ByteArray, create: Boolean): ByteArray {
        val key = key(keyName, create) ?: throw KeyStoreException.KeyMissing()
        val mac = Mac.getInstance("HmacSHA256")
        mac.init(SecretKeySpec(key, "HmacSHA256"))
        return mac.doFinal(input)
    }

    override fun wrap(keyName: String, purpose: KeyPurpose, secret: ByteArray): ByteArray {
        val key = key(keyName, true)!!
        val iv = ByteArray(12).also(random::nextBytes)
        val cipher = Cipher.getInstance("AES/GCM/NoPadding")
        cipher.init(Cipher.ENCRYPT_MODE, SecretKeySpec(key, "AES"), GCMParameterSpec(128, iv))
        cipher.updateAAD(aad(keyName, purpose))
        return iv + cipher.doFinal(secret)
    }

    override fun unwrap(keyName: String, purpose: KeyPurpose, wrapped: ByteArray): ByteArray {
        val key = key(keyName, false) ?: throw KeyStoreException.KeyMissing()
        if (wrapped.size < 12 + 16) throw KeyStoreException.Failed("wrapped value too short")
        val cipher = Cipher.getInstance("AES/GCM/NoPadding")
        cipher.init(Cipher.DECRYPT_MODE, SecretKeySpec(key, "AES"), GCMParameterSpec(128, wrapped, 0, 12))
        cipher.updateAAD(aad(keyName, purpose))
        return try {
            cipher.doFinal(wrapped, 12, wrapped.size - 12)
        } catch (e: AEADBadTagException) {
            throw KeyStoreException.Failed("unwrap failed")
        }
    }

    @Synchronized
    override fun deleteKey(keyName: String) {
        if (keys.remove(keyName) != null) save()
    }

    private fun aad(keyName: String, purpose: KeyPurpose) = "$keyName/${purpose.name}".toByteArray()

    private fun save() {
        val tmp = file.resolveSibling(file.fileName.toString() + ".tmp")
        Files.newOutputStream(tmp).use { keys.store(it, null) }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE)
    }
}
