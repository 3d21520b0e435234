package dk.brobygger.platform

import java.io.File
import java.security.GeneralSecurityException
import javax.crypto.Cipher
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

/** The key behind the biometric prompt: Android Keystore on a phone, software in tests. */
interface BiometricKey {
    /** A fresh key (the old one, if any, is deleted). */
    fun create(): SecretKey
    fun existing(): SecretKey?
    fun delete()
    /** Whether [e] says the key was invalidated (a new fingerprint or face was enrolled). */
    fun invalidated(e: Exception): Boolean
}

/**
 * Keeps the core's biometric secret (32 bytes from `Vault.enrollBiometric()`) encrypted under
 * a key that opens only after a strong biometric: the cipher from [encrypter] / [decrypter]
 * goes into BiometricPrompt's CryptoObject, and only the authenticated cipher can [seal] or
 * [open]. A new biometric enrolment invalidates the key: [decrypter] then answers
 * [Unavailable.Invalidated], the slot is cleared, and the worker uses the PIN (and may enrol
 * again). The file holds version, IV and ciphertext; it is useless without the key.
 */
class BiometricSlot(private val file: File, private val key: BiometricKey) {
    sealed interface Unavailable {
        data object NotEnrolled : Unavailable
        data object Invalidated : Unavailable
    }

    val enrolled: Boolean get() = file.isFile

    /** A cipher to authenticate for enrolment (a new key every time). */
    fun encrypter(): Cipher = Cipher.getInstance(TRANSFORMATION).apply { init(Cipher.ENCRYPT_MODE, key.create()) }

    /** Encrypts [secret] with the authenticated [cipher] and stores it. */
    fun seal(cipher: Cipher, secret: ByteArray) {
        val sealed = cipher.doFinal(secret)
        file.parentFile?.mkdirs()
        val tmp = File(file.path + ".tmp")
        tmp.writeBytes(byteArrayOf(VERSION) + cipher.iv + sealed)
        if (!tmp.renameTo(file)) throw GeneralSecurityException("biometric slot not stored")
    }

    /** A cipher to authenticate for unlocking, or why there is none. */
    fun decrypter(): Result {
        val bytes = if (file.isFile) file.readBytes() else return Result.No(Unavailable.NotEnrolled)
        if (bytes.size < 1 + IV_BYTES + 16 || bytes[0] != VERSION) {
            clear()
            return Result.No(Unavailable.NotEnrolled)
        }
        return try {
            val k = key.existing() ?: run {
                clear()
                return Result.No(Unavailable.Invalidated)
            }
            val cipher = Cipher.getInstance(TRANSFORMATION)
            cipher.init(Cipher.DECRYPT_MODE, k, GCMParameterSpec(128, bytes, 1, IV_BYTES))
            Result.Ready(cipher)
        } catch (e: Exception) {
            if (!key.invalidated(e)) throw e
            clear()
            Result.No(Unavailable.Invalidated)
        }
    }

    /** The secret, with the authenticated [cipher] from [decrypter]. */
    fun open(cipher: Cipher): ByteArray {
        val bytes = file.readBytes()
        return cipher.doFinal(bytes, 1 + IV_BYTES, bytes.size - 1 - IV_BYTES)
    }

    fun clear() {
        file.delete()
        key.delete()
    }

    sealed interface Result {
        data class Ready(val cipher: Cipher) : Result
        data class No(val why: Unavailable) : Result
    }

    companion object {
        const val TRANSFORMATION = "AES/GCM/NoPadding"
        private const val VERSION: Byte = 1
        private const val IV_BYTES = 12
    }
}
