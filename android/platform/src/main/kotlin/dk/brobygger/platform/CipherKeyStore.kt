package dk.brobygger.platform

import dk.brobygger.core.KeyStore
import dk.brobygger.core.KeyStoreException
import java.security.GeneralSecurityException
import javax.crypto.AEADBadTagException
import javax.crypto.Cipher
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

/**
 * Where the platform keys live. On Android: the Android Keystore (hardware-backed, keys never
 * leave it). In tests: a software key map. The core never sees these keys.
 */
interface KeyProvider {
    /** The AES-256 key named [name], created when [create] is set and it does not exist. */
    fun key(name: String, create: Boolean): SecretKey?
    fun delete(name: String)
}

/**
 * The core's [KeyStore], done with AES-256-GCM under a [KeyProvider] key.
 * Wrapped format: 12-byte IV (chosen by the cipher, as the Android Keystore requires) then
 * ciphertext and tag. The key name is the associated data, so a blob cannot be unwrapped
 * under another name.
 */
class CipherKeyStore(private val keys: KeyProvider) : KeyStore {
    override fun wrap(keyName: String, secret: ByteArray): ByteArray {
        val key = keys.key(keyName, create = true) ?: throw KeyStoreException.Unavailable("cannot create platform key")
        return try {
            val cipher = Cipher.getInstance(TRANSFORMATION)
            cipher.init(Cipher.ENCRYPT_MODE, key)
            cipher.updateAAD(keyName.toByteArray(Charsets.UTF_8))
            val sealed = cipher.doFinal(secret)
            cipher.iv + sealed
        } catch (e: GeneralSecurityException) {
            throw KeyStoreException.Failed("wrap failed: ${e.javaClass.simpleName}")
        }
    }

    override fun unwrap(keyName: String, wrapped: ByteArray): ByteArray {
        if (wrapped.size < IV_BYTES + TAG_BYTES) throw KeyStoreException.Failed("wrapped secret too short")
        val key = keys.key(keyName, create = false) ?: throw KeyStoreException.KeyMissing()
        return try {
            val cipher = Cipher.getInstance(TRANSFORMATION)
            cipher.init(Cipher.DECRYPT_MODE, key, GCMParameterSpec(TAG_BYTES * 8, wrapped, 0, IV_BYTES))
            cipher.updateAAD(keyName.toByteArray(Charsets.UTF_8))
            cipher.doFinal(wrapped, IV_BYTES, wrapped.size - IV_BYTES)
        } catch (e: AEADBadTagException) {
            throw KeyStoreException.Failed("unwrap failed: wrong key or damaged blob")
        } catch (e: GeneralSecurityException) {
            // Android: UserNotAuthenticatedException and friends.
            if (e.javaClass.simpleName.contains("NotAuthenticated")) throw KeyStoreException.UserAuthenticationRequired()
            throw KeyStoreException.Failed("unwrap failed: ${e.javaClass.simpleName}")
        }
    }

    override fun deleteKey(keyName: String) = keys.delete(keyName)

    companion object {
        const val TRANSFORMATION = "AES/GCM/NoPadding"
        const val IV_BYTES = 12
        const val TAG_BYTES = 16
    }
}
