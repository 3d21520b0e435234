package dk.brobygger.core

import java.nio.file.Files
import java.nio.file.Path
import java.security.SecureRandom
import java.time.Duration
import java.time.Instant
import java.util.concurrent.ConcurrentHashMap
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

/**
 * A KeyStore as an Android shell writes one, with JCA's AES-GCM in memory standing in
 * for the Android Keystore (whose keys also never leave it).
 */
class JvmKeyStore : KeyStore {
    private val keys = ConcurrentHashMap<String, SecretKey>()
    private val random = SecureRandom()
    var calls = 0
        private set

    override fun wrap(keyName: String, secret: ByteArray): ByteArray {
        calls++
        val key = keys.computeIfAbsent(keyName) { KeyGenerator.getInstance("AES").apply { init(256) }.generateKey() }
        val iv = ByteArray(12).also(random::nextBytes)
        val cipher = Cipher.getInstance("AES/GCM/NoPadding")
        cipher.init(Cipher.ENCRYPT_MODE, key, GCMParameterSpec(128, iv))
        cipher.updateAAD(keyName.toByteArray())
        return iv + cipher.doFinal(secret)
    }

    override fun unwrap(keyName: String, wrapped: ByteArray): ByteArray {
        calls++
        val key = keys[keyName] ?: throw KeyStoreException.KeyMissing()
        val cipher = Cipher.getInstance("AES/GCM/NoPadding")
        cipher.init(Cipher.DECRYPT_MODE, key, GCMParameterSpec(128, wrapped, 0, 12))
        cipher.updateAAD(keyName.toByteArray())
        return try {
            cipher.doFinal(wrapped, 12, wrapped.size - 12)
        } catch (e: javax.crypto.AEADBadTagException) {
            throw KeyStoreException.Failed("unwrap failed")
        }
    }

    override fun deleteKey(keyName: String) {
        keys.remove(keyName)
    }

    fun keyCount() = keys.size
}

/** A clock the test moves by hand. */
class TestClock(var now: Instant = Instant.parse("2026-03-31T08:00:00Z")) : Clock {
    override fun now(): Instant = now
    fun advance(d: Duration) { now = now.plus(d) }
}

fun tempVaultDir(): Path = Files.createTempDirectory("brobygger-kt").resolve("vault")

const val PIN = "482915"
