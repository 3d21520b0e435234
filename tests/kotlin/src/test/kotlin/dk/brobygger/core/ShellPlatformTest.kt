package dk.brobygger.core

import dk.brobygger.platform.PlatformKeyStore
import dk.brobygger.platform.SoftwareKeyProvider
import dk.brobygger.platform.SystemClock
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertTrue

/** The Android shell's plain-JVM platform code (android/platform/src/main/kotlin) against the real core. */
class ShellPlatformTest {
    private val provider = SoftwareKeyProvider()
    private val ks = PlatformKeyStore(provider)

    @Test
    fun `wrapping binds key name and purpose, and a lost key is KeyMissing`() {
        val secret = ByteArray(32) { it.toByte() }
        val wrapped = ks.wrap("a", KeyPurpose.OUTBOX, secret)
        assertEquals(1 + 12 + 32 + 16, wrapped.size)
        assertContentEquals(secret, ks.unwrap("a", KeyPurpose.OUTBOX, wrapped))
        // The same key under another name or purpose does not open it.
        assertThrows<KeyStoreException.Failed> { ks.unwrap("a", KeyPurpose.VAULT_STATE, wrapped) }
        provider.aes["b"] = provider.aes.getValue("a")
        assertThrows<KeyStoreException.Failed> { ks.unwrap("b", KeyPurpose.OUTBOX, wrapped) }
        val flipped = wrapped.copyOf().also { it[20] = (it[20].toInt() xor 1).toByte() }
        assertThrows<KeyStoreException.Failed> { ks.unwrap("a", KeyPurpose.OUTBOX, flipped) }
        assertThrows<KeyStoreException.Failed> { ks.unwrap("a", KeyPurpose.OUTBOX, wrapped.copyOf(20)) }
        ks.deleteKey("a")
        ks.deleteKey("a") // deleting twice is fine
        assertThrows<KeyStoreException.KeyMissing> { ks.unwrap("a", KeyPurpose.OUTBOX, wrapped) }
    }

    @Test
    fun `the PIN factor is a keyed function that never creates a key unasked`() {
        val input = ByteArray(32) { 7 }
        assertThrows<KeyStoreException.KeyMissing> { ks.pinFactor("p", input, false) }
        assertTrue(provider.names().isEmpty())
        val first = ks.pinFactor("p", input, true)
        assertEquals(32, first.size)
        assertContentEquals(first, ks.pinFactor("p", input, false))
        assertFalse(first.contentEquals(ks.pinFactor("q", input, true)), "another key, another factor")
        assertFalse(first.contentEquals(ks.pinFactor("p", ByteArray(32) { 8 }, false)))
        provider.unavailable = true
        assertThrows<KeyStoreException.Unavailable> { ks.pinFactor("p", input, false) }
    }

    @Test
    fun `the core runs on the adapter, and a key store reset leaves only the recovery key`() {
        val dir = tempVaultDir().toString()
        val created = createVault(dir, PIN, ks, SystemClock)
        val vault = created.vault
        vault.lock()
        vault.unlock(PIN)
        vault.lock()
        provider.reset()
        val e = assertThrows<BrobyggerException.PlatformKeysMissing> { vault.unlock(PIN) }
        assertTrue(vault.status().platformKeysMissing)
        assertTrue(errorMessage(e, Language.DA).contains("gendannelsesnøgle"), errorMessage(e, Language.DA))
        vault.unlockWithRecoveryKey(created.recoveryKey.reveal(), "583920")
        vault.lock()
        vault.unlock("583920")
    }

    @Test
    fun `messages come from the core's catalogue, in Danish and English`() {
        assertEquals("3", Regex("\\d+").find(errorMessage(BrobyggerException.WrongPin(3u), Language.DA))?.value)
        val phone = errorMessage(BrobyggerException.InvalidInput("phone", "not a phone number"), Language.DA)
        assertTrue(phone.isNotBlank())
        assertFalse(phone.contains("not a phone number"), "the core's words, not its reason code")
        assertNotNull(fieldLabel("phone", Language.EN))
        assertEquals(Language.EN, languageFromLocale("en-GB"))
        assertEquals(Language.DA, languageFromLocale("fr-FR"))
    }
}
