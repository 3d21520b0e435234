package dk.brobygger.platform.android

import android.security.keystore.KeyPermanentlyInvalidatedException
import android.security.keystore.KeyProperties
import android.security.keystore.UserNotAuthenticatedException
import dk.brobygger.core.KeyPurpose
import dk.brobygger.core.KeyStoreException
import dk.brobygger.platform.BiometricKey
import dk.brobygger.platform.BiometricSlot
import java.io.File
import java.nio.file.Files
import java.security.UnrecoverableKeyException
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import org.junit.Assert.assertArrayEquals
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.annotation.Config

/**
 * How the Android Keystore keys are made (the specs; Robolectric has no AndroidKeyStore to make
 * them), what its failures mean for the core, and the biometric slot with a software key.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [34, 35])
class KeysTest {
    private val sdk get() = RuntimeEnvironment.getApiLevel()

    @Test
    fun reminderKeysWorkInAPocketAndThePinKeyOnlyOnAnUnlockedPhoneFrom35() {
        for (purpose in KeyPurpose.entries) {
            val spec = KeySpecs.wrapping("brobygger.vault.x.${purpose.name}", purpose, strongBox = true)
            assertFalse("$purpose never needs the user", spec.isUserAuthenticationRequired)
            assertFalse("$purpose works with the phone locked", spec.isUnlockedDeviceRequired)
            assertTrue(spec.isStrongBoxBacked)
            assertEquals(256, spec.keySize)
            assertEquals(listOf(KeyProperties.BLOCK_MODE_GCM), spec.blockModes.toList())
            assertEquals(KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT, spec.purposes)
        }
        val pin = KeySpecs.pinFactor("brobygger.vault.x.pin.1", strongBox = false, sdk = sdk)
        assertEquals(KeyProperties.PURPOSE_SIGN, pin.purposes)
        assertEquals(listOf(KeyProperties.DIGEST_SHA256), pin.digests.toList())
        assertFalse(pin.isUserAuthenticationRequired)
        assertFalse(pin.isStrongBoxBacked)
        assertEquals("unlocked-device binding only from API 35", sdk >= 35, pin.isUnlockedDeviceRequired)
    }

    @Test
    fun theBiometricKeyNeedsAStrongBiometricEveryTimeAndDiesWithANewEnrolment() {
        val spec = KeySpecs.biometric("brobygger.biometric", strongBox = false)
        assertTrue(spec.isUserAuthenticationRequired)
        assertEquals(0, spec.userAuthenticationValidityDurationSeconds)
        assertEquals(KeyProperties.AUTH_BIOMETRIC_STRONG, spec.userAuthenticationType)
        assertTrue(spec.isInvalidatedByBiometricEnrollment)
    }

    @Test
    fun keystoreFailuresMeanWhatTheCoreExpects() {
        assertTrue(classifyKeystoreFailure(KeyPermanentlyInvalidatedException()) is KeyStoreException.KeyMissing)
        assertTrue(classifyKeystoreFailure(UnrecoverableKeyException()) is KeyStoreException.KeyMissing)
        assertTrue(classifyKeystoreFailure(UserNotAuthenticatedException()) is KeyStoreException.UserAuthenticationRequired)
        assertNull(classifyKeystoreFailure(IllegalStateException()))
    }

    /** A software key standing in for the Keystore's; [invalidate] acts as a new fingerprint. */
    private class SoftKey : BiometricKey {
        var key: SecretKey? = null
        var invalidatedNow = false
        override fun create() = KeyGenerator.getInstance("AES").apply { init(256) }.generateKey().also { key = it; invalidatedNow = false }
        override fun existing(): SecretKey? = key?.also { if (invalidatedNow) throw KeyPermanentlyInvalidatedException() }
        override fun delete() { key = null }
        override fun invalidated(e: Exception) = e is KeyPermanentlyInvalidatedException
    }

    @Test
    fun theBiometricSlotSealsOpensAndClearsItselfWhenInvalidated() {
        val file = File(Files.createTempDirectory("slot").toFile(), "biometric.bin")
        val key = SoftKey()
        val slot = BiometricSlot(file, key)
        assertEquals(BiometricSlot.Result.No(BiometricSlot.Unavailable.NotEnrolled), slot.decrypter())
        val secret = ByteArray(32) { it.toByte() }
        slot.seal(slot.encrypter(), secret) // in the app: the cipher after BiometricPrompt
        assertTrue(slot.enrolled)
        val ready = slot.decrypter() as BiometricSlot.Result.Ready
        assertArrayEquals(secret, slot.open(ready.cipher))

        key.invalidatedNow = true
        assertEquals(BiometricSlot.Result.No(BiometricSlot.Unavailable.Invalidated), slot.decrypter())
        assertFalse(slot.enrolled)
        assertNull(key.key)
    }
}
