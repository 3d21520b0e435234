package dk.brobygger.app

import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import dk.brobygger.platform.KeyProvider
import java.security.KeyStore
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey

/**
 * Platform keys in the Android Keystore: AES-256-GCM, hardware-backed (StrongBox when the
 * phone has it), never exportable. The vault's device secret is wrapped by one of these,
 * so copying the app's files off the phone gives an attacker nothing to brute-force.
 */
class AndroidKeyProvider : KeyProvider {
    private val keyStore = KeyStore.getInstance("AndroidKeyStore").apply { load(null) }

    override fun key(name: String, create: Boolean): SecretKey? {
        (keyStore.getEntry(name, null) as? KeyStore.SecretKeyEntry)?.let { return it.secretKey }
        if (!create) return null
        return generate(name, strongBox = true) ?: generate(name, strongBox = false)
    }

    private fun generate(name: String, strongBox: Boolean): SecretKey? = try {
        val spec = KeyGenParameterSpec.Builder(name, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
            .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
            .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
            .setKeySize(256)
            .setRandomizedEncryptionRequired(true)
            .setIsStrongBoxBacked(strongBox)
            .build()
        KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, "AndroidKeyStore").run {
            init(spec)
            generateKey()
        }
    } catch (e: android.security.keystore.StrongBoxUnavailableException) {
        null
    }

    override fun delete(name: String) {
        if (keyStore.containsAlias(name)) keyStore.deleteEntry(name)
    }
}
