package dk.brobygger.platform

import dk.brobygger.core.KeyPurpose
import dk.brobygger.core.KeyStore
import dk.brobygger.core.KeyStoreException
import java.security.GeneralSecurityException
import java.security.ProviderException
import javax.crypto.AEADBadTagException
import javax.crypto.Cipher
import javax.crypto.Mac
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

/**
 * Where the platform keys live and how they are made. Android: the Android Keystore
 * (`AndroidKeystoreProvider`, hardware-backed, keys never leave it). Tests: a software map.
 * Lookups return `null` for a key that does not exist and [create] is not set.
 */
interface KeyProvider {
    /** The AES-256-GCM key [name] for [purpose]. */
    fun aesKey(name: String, purpose: KeyPurpose, create: Boolean): SecretKey?

    /** The HMAC-SHA256 key [name] behind the PIN factor. */
    fun hmacKey(name: String, create: Boolean): SecretKey?

    /** Deletes the key; a key that does not exist is not an error. */
    fun delete(name: String)

    /**
     * What a platform exception means for the core, for exceptions only the platform knows
     * (Android: KeyPermanentlyInvalidatedException is a lost key, UserNotAuthenticatedException
     * needs the user). `null`: the generic mapping of [PlatformKeyStore] applies.
     */
    fun classify(e: Exception): KeyStoreException? = null
}

/**
 * The core's [KeyStore] over a [KeyProvider]: the PIN factor is HMAC-SHA256 inside the key
 * store; wrapping is AES-256-GCM with the cipher's own IV (the Android Keystore insists on
 * choosing it) and the key name and purpose as associated data, so a blob cannot be opened
 * under another name or purpose.
 *
 * Wrapped format: version byte 1, 12-byte IV, ciphertext and 16-byte tag.
 *
 * Every failure is a [KeyStoreException]: a key that does not exist (new phone, key store
 * reset, rolled-back file) is always [KeyStoreException.KeyMissing], so the core can tell the
 * worker to use the recovery key instead of calling it tampering. Messages carry fixed words
 * and exception class names only, never key material or input.
 */
class PlatformKeyStore(private val keys: KeyProvider) : KeyStore {
    override fun pinFactor(keyName: String, input: ByteArray, create: Boolean): ByteArray = guarded("pin factor") {
        val key = keys.hmacKey(keyName, create) ?: throw missingOrUnavailable(create)
        val mac = Mac.getInstance(HMAC)
        mac.init(key)
        mac.doFinal(input)
    }

    override fun wrap(keyName: String, purpose: KeyPurpose, secret: ByteArray): ByteArray = guarded("wrap") {
        val key = keys.aesKey(keyName, purpose, create = true) ?: throw missingOrUnavailable(create = true)
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.ENCRYPT_MODE, key)
        cipher.updateAAD(aad(keyName, purpose))
        val sealed = cipher.doFinal(secret)
        val iv = cipher.iv
        if (iv.size != IV_BYTES) throw KeyStoreException.Failed("unexpected IV length")
        byteArrayOf(VERSION) + iv + sealed
    }

    override fun unwrap(keyName: String, purpose: KeyPurpose, wrapped: ByteArray): ByteArray = guarded("unwrap") {
        if (wrapped.size < 1 + IV_BYTES + TAG_BYTES || wrapped[0] != VERSION) {
            throw KeyStoreException.Failed("wrapped secret is malformed")
        }
        val key = keys.aesKey(keyName, purpose, create = false) ?: throw KeyStoreException.KeyMissing()
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.DECRYPT_MODE, key, GCMParameterSpec(TAG_BYTES * 8, wrapped, 1, IV_BYTES))
        cipher.updateAAD(aad(keyName, purpose))
        cipher.doFinal(wrapped, 1 + IV_BYTES, wrapped.size - 1 - IV_BYTES)
    }

    override fun deleteKey(keyName: String) = guarded("delete") { keys.delete(keyName) }

    private fun missingOrUnavailable(create: Boolean): KeyStoreException =
        if (create) KeyStoreException.Unavailable("the key could not be created") else KeyStoreException.KeyMissing()

    private inline fun <T> guarded(what: String, block: () -> T): T = try {
        block()
    } catch (e: KeyStoreException) {
        throw e
    } catch (e: Exception) {
        throw keys.classify(e) ?: generic(what, e)
    }

    private fun generic(what: String, e: Exception): KeyStoreException = when (e) {
        is AEADBadTagException -> KeyStoreException.Failed("$what: the wrapped secret does not open under this key")
        is GeneralSecurityException -> KeyStoreException.Failed("$what: ${e.javaClass.simpleName}")
        // The Android Keystore reports a busy or not-yet-unlocked key store this way.
        is ProviderException -> KeyStoreException.Unavailable("$what: ${e.javaClass.simpleName}")
        else -> KeyStoreException.Failed("$what: ${e.javaClass.simpleName}")
    }

    companion object {
        const val TRANSFORMATION = "AES/GCM/NoPadding"
        const val HMAC = "HmacSHA256"
        const val VERSION: Byte = 1
        const val IV_BYTES = 12
        const val TAG_BYTES = 16

        fun aad(keyName: String, purpose: KeyPurpose): ByteArray = "$keyName|${purpose.name}".toByteArray(Charsets.UTF_8)
    }
}
