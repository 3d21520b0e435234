package dk.brobygger.platform

import dk.brobygger.core.KeyPurpose
import java.util.concurrent.ConcurrentHashMap
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey

/**
 * A software stand-in for the Android Keystore behind the real [PlatformKeyStore], for tests on
 * the JVM and under Robolectric (which has no AndroidKeyStore provider). Test-only: compiled
 * by tests/kotlin and the platform module's tests, never into the app.
 */
class SoftwareKeyProvider : KeyProvider {
    val aes = ConcurrentHashMap<String, SecretKey>()
    val hmac = ConcurrentHashMap<String, SecretKey>()
    val purposes = ConcurrentHashMap<String, KeyPurpose>()

    /** Set to make every lookup fail the way a key store before the first unlock does. */
    @Volatile var unavailable = false

    override fun aesKey(name: String, purpose: KeyPurpose, create: Boolean): SecretKey? {
        check()
        aes[name]?.let { return it }
        if (!create) return null
        purposes[name] = purpose
        return aes.computeIfAbsent(name) { KeyGenerator.getInstance("AES").apply { init(256) }.generateKey() }
    }

    override fun hmacKey(name: String, create: Boolean): SecretKey? {
        check()
        hmac[name]?.let { return it }
        if (!create) return null
        return hmac.computeIfAbsent(name) { KeyGenerator.getInstance("HmacSHA256").generateKey() }
    }

    override fun delete(name: String) {
        aes.remove(name)
        hmac.remove(name)
        purposes.remove(name)
    }

    /** Forgets every key, as a key store reset (or a new phone) does. */
    fun reset() {
        aes.clear()
        hmac.clear()
        purposes.clear()
    }

    fun names(): Set<String> = aes.keys + hmac.keys

    private fun check() {
        if (unavailable) throw java.security.ProviderException("Keystore not initialized")
    }
}
