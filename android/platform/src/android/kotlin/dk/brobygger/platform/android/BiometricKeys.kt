package dk.brobygger.platform.android

import android.security.keystore.KeyPermanentlyInvalidatedException
import dk.brobygger.platform.BiometricKey
import java.security.KeyStore
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey

/** The biometric slot's key in the Android Keystore ([KeySpecs.biometric]). */
class AndroidBiometricKey(private val hasStrongBox: Boolean, private val alias: String = ALIAS) : BiometricKey {
    private val store: KeyStore by lazy { KeyStore.getInstance(AndroidKeystoreProvider.ANDROID_KEYSTORE).apply { load(null) } }

    override fun create(): SecretKey {
        delete()
        if (hasStrongBox) {
            try {
                return generate(true)
            } catch (e: android.security.keystore.StrongBoxUnavailableException) {
                // The TEE, then.
            }
        }
        return generate(false)
    }

    override fun existing(): SecretKey? = store.getKey(alias, null) as? SecretKey

    override fun delete() {
        if (store.containsAlias(alias)) store.deleteEntry(alias)
    }

    override fun invalidated(e: Exception) = e is KeyPermanentlyInvalidatedException

    private fun generate(strongBox: Boolean) =
        KeyGenerator.getInstance("AES", AndroidKeystoreProvider.ANDROID_KEYSTORE).run {
            init(KeySpecs.biometric(alias, strongBox))
            generateKey()
        }

    companion object {
        const val ALIAS = "brobygger.biometric"
    }
}
