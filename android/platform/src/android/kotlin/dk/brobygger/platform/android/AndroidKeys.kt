package dk.brobygger.platform.android

import android.content.pm.PackageManager
import android.os.Build
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyPermanentlyInvalidatedException
import android.security.keystore.KeyProperties
import android.security.keystore.StrongBoxUnavailableException
import android.security.keystore.UserNotAuthenticatedException
import dk.brobygger.core.KeyPurpose
import dk.brobygger.core.KeyStoreException
import dk.brobygger.platform.KeyProvider
import java.security.KeyStore
import java.security.UnrecoverableKeyException
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey

/**
 * How each Android Keystore key is made. Kept apart from the key store itself so the choices
 * can be checked under Robolectric, which has no AndroidKeyStore.
 *
 * - Vault-state and outbox keys (AES-256-GCM): never bound to user authentication or an
 *   unlocked device, so the outbox can unwrap its key with the phone locked in a pocket, and the
 *   vault can lock itself when the screen goes off. Usable after the first unlock since boot.
 * - PIN-factor key (HMAC-SHA256, sign only): used only while the worker types the PIN, so on
 *   API 35+ it also requires an unlocked device. Below 35 it does not: those releases could
 *   leave such keys unusable after the lock screen changed.
 * - Biometric key (AES-256-GCM): every use needs a strong biometric (BiometricPrompt with a
 *   CryptoObject), and a newly enrolled fingerprint or face destroys it.
 * All are non-exportable and StrongBox-backed when the phone has StrongBox.
 */
object KeySpecs {
    fun wrapping(name: String, purpose: KeyPurpose, strongBox: Boolean): KeyGenParameterSpec =
        KeyGenParameterSpec.Builder(name, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
            .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
            .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
            .setKeySize(256)
            .setRandomizedEncryptionRequired(true)
            .setUserAuthenticationRequired(false)
            .setUnlockedDeviceRequired(false)
            .setIsStrongBoxBacked(strongBox)
            .build()
            .also { check(purpose == KeyPurpose.VAULT_STATE || purpose == KeyPurpose.OUTBOX) }

    fun pinFactor(name: String, strongBox: Boolean, sdk: Int = Build.VERSION.SDK_INT): KeyGenParameterSpec =
        KeyGenParameterSpec.Builder(name, KeyProperties.PURPOSE_SIGN)
            .setDigests(KeyProperties.DIGEST_SHA256)
            .setKeySize(256)
            .setUserAuthenticationRequired(false)
            .setUnlockedDeviceRequired(sdk >= Build.VERSION_CODES.VANILLA_ICE_CREAM)
            .setIsStrongBoxBacked(strongBox)
            .build()

    fun biometric(name: String, strongBox: Boolean): KeyGenParameterSpec =
        KeyGenParameterSpec.Builder(name, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
            .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
            .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
            .setKeySize(256)
            .setUserAuthenticationRequired(true)
            .setUserAuthenticationParameters(0, KeyProperties.AUTH_BIOMETRIC_STRONG)
            .setInvalidatedByBiometricEnrollment(true)
            .setIsStrongBoxBacked(strongBox)
            .build()
}

/**
 * The Android Keystore as the vault's [KeyProvider]. StrongBox first when the phone has it,
 * falling back to the TEE when StrongBox refuses (busy, or no HMAC support on some chips).
 */
class AndroidKeystoreProvider(private val hasStrongBox: Boolean) : KeyProvider {
    constructor(packageManager: PackageManager) :
        this(packageManager.hasSystemFeature(PackageManager.FEATURE_STRONGBOX_KEYSTORE))

    private val store: KeyStore by lazy { KeyStore.getInstance(ANDROID_KEYSTORE).apply { load(null) } }

    override fun aesKey(name: String, purpose: KeyPurpose, create: Boolean): SecretKey? =
        existing(name) ?: if (create) generate(KeyProperties.KEY_ALGORITHM_AES) { KeySpecs.wrapping(name, purpose, it) } else null

    override fun hmacKey(name: String, create: Boolean): SecretKey? =
        existing(name) ?: if (create) generate(KeyProperties.KEY_ALGORITHM_HMAC_SHA256) { KeySpecs.pinFactor(name, it) } else null

    override fun delete(name: String) {
        if (store.containsAlias(name)) store.deleteEntry(name)
    }

    override fun classify(e: Exception): KeyStoreException? = classifyKeystoreFailure(e)

    private fun existing(name: String): SecretKey? = store.getKey(name, null) as? SecretKey

    private fun generate(algorithm: String, spec: (strongBox: Boolean) -> KeyGenParameterSpec): SecretKey {
        if (hasStrongBox) {
            try {
                return KeyGenerator.getInstance(algorithm, ANDROID_KEYSTORE).run { init(spec(true)); generateKey() }
            } catch (e: StrongBoxUnavailableException) {
                // Fall through to the TEE.
            }
        }
        return KeyGenerator.getInstance(algorithm, ANDROID_KEYSTORE).run { init(spec(false)); generateKey() }
    }

    companion object {
        const val ANDROID_KEYSTORE = "AndroidKeyStore"
    }
}

/**
 * What Android Keystore failures mean for the core: a key invalidated (lock screen removed,
 * new biometric enrolled) or no longer readable is a missing key, which the core answers with
 * "use the recovery key"; a transient key store failure is "try again".
 */
fun classifyKeystoreFailure(e: Exception): KeyStoreException? = when {
    e is KeyPermanentlyInvalidatedException -> KeyStoreException.KeyMissing()
    e is UnrecoverableKeyException -> KeyStoreException.KeyMissing()
    e is UserNotAuthenticatedException -> KeyStoreException.UserAuthenticationRequired()
    Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU && e is android.security.KeyStoreException ->
        if (e.isTransientFailure) KeyStoreException.Unavailable("key store busy") else null
    else -> null
}
