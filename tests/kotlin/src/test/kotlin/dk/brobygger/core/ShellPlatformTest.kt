package dk.brobygger.core

import dk.brobygger.platform.CipherKeyStore
import dk.brobygger.platform.KeyProvider
import dk.brobygger.platform.Messages
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/** A software stand-in for the Android Keystore behind the shell's real adapter. */
class SoftwareKeyProvider : KeyProvider {
    val keys = HashMap<String, SecretKey>()
    override fun key(name: String, create: Boolean): SecretKey? =
        keys[name] ?: if (create) KeyGenerator.getInstance("AES").apply { init(256) }.generateKey().also { keys[name] = it } else null
    override fun delete(name: String) { keys.remove(name) }
}

class ShellPlatformTest {
    @Test
    fun `the Android key store adapter wraps, unwraps and binds the key name`() {
        val provider = SoftwareKeyProvider()
        val ks = CipherKeyStore(provider)
        val secret = ByteArray(32) { it.toByte() }
        val wrapped = ks.wrap("a", secret)
        assertEquals(12 + 32 + 16, wrapped.size)
        assertContentEquals(secret, ks.unwrap("a", wrapped))
        provider.keys["b"] = provider.keys.getValue("a")
        assertThrows<KeyStoreException.Failed> { ks.unwrap("b", wrapped) }
        wrapped[20] = (wrapped[20].toInt() xor 1).toByte()
        assertThrows<KeyStoreException.Failed> { ks.unwrap("a", wrapped) }
        ks.deleteKey("a")
        assertThrows<KeyStoreException.KeyMissing> { ks.unwrap("a", ks.wrap("c", secret)) }
    }

    @Test
    fun `the core runs on the shell's adapter`() {
        val provider = SoftwareKeyProvider()
        val dir = tempVaultDir().toString()
        val vault = createVault(dir, PIN, CipherKeyStore(provider), dk.brobygger.platform.SystemClock).vault
        vault.lock()
        vault.unlock(PIN)
        provider.keys.clear()
        vault.lock()
        val e = assertThrows<BrobyggerException.KeyStore> { vault.unlock(PIN) }
        assertTrue(Messages.danish(e).contains("nøglelager"))
    }

    @Test
    fun `user messages are Danish and name the field, never its value`() {
        assertEquals("Forkert PIN-kode. Du har 3 forsøg tilbage.", Messages.danish(BrobyggerException.WrongPin(3u)))
        assertEquals("Forkert PIN-kode. Du har ét forsøg tilbage.", Messages.danish(BrobyggerException.WrongPin(1u)))
        assertEquals("Telefonnummer: ugyldig værdi.", Messages.danish(BrobyggerException.InvalidInput("phone", "not a phone number")))
    }
}
