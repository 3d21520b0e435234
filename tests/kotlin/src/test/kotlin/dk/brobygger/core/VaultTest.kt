package dk.brobygger.core

import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.time.Duration
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertTrue

class VaultTest {
    @Test
    fun `create, lock, wrong PIN, unlock`() {
        val dir = tempVaultDir()
        val keyStore = JvmKeyStore()
        val created = createVault(dir.toString(), PIN, keyStore, TestClock())
        val vault = created.vault
        assertTrue(Regex("^([A-Z2-7]{4}-){12}[A-Z2-7]{4}$").matches(created.recoveryKey.reveal()))
        assertEquals(13, created.recoveryKey.groups().size)
        assertTrue(vault.isUnlocked())
        assertEquals(2, keyStore.keyCount(), "a PIN-factor key and a vault-state key in the platform key store")
        assertTrue(vaultExists(dir.toString()))

        vault.lock()
        assertThrows<BrobyggerException.Locked> { vault.listCitizens() }
        val wrong = assertThrows<BrobyggerException.WrongPin> { vault.unlock("000000") }
        assertEquals(9u, wrong.attemptsLeft)
        assertEquals(9u, vault.status().pinAttemptsLeft)
        vault.unlock(PIN)
        assertEquals(10u, vault.status().pinAttemptsLeft)
        assertEquals(600_000u, vault.status().kdfIterations)
        assertThrows<BrobyggerException.InvalidInput> { vault.unlock("12") }.also { assertEquals("pin", it.field) }
    }

    @Test
    fun `auto-lock follows the injected clock`() {
        val clock = TestClock()
        val vault = createVault(tempVaultDir().toString(), PIN, JvmKeyStore(), clock).vault
        vault.addCitizen(NewCitizen(nickname = "Ole", language = SmsLanguage.DA))
        clock.advance(Duration.ofMinutes(4))
        assertEquals(1, vault.listCitizens().citizens.size, "4 idle minutes: still open")
        clock.advance(Duration.ofMinutes(5))
        assertThrows<BrobyggerException.Locked> { vault.listCitizens() }
        assertFalse(vault.isUnlocked())
    }

    @Test
    fun `reopen from disk, and no unlock without the device key`() {
        val dir = tempVaultDir().toString()
        val keyStore = JvmKeyStore()
        val first = createVault(dir, PIN, keyStore, TestClock()).vault
        val ole = first.addCitizen(NewCitizen(nickname = "Ole", phone = "20 30 40 50", language = SmsLanguage.DA))
        first.destroy()

        val again = Vault.open(dir, keyStore, TestClock())
        assertFalse(again.isUnlocked())
        again.unlock(PIN)
        assertEquals("Ole", again.getCitizen(ole.id).nickname)
        again.destroy()

        // The files plus the right PIN, on another device: the platform key is missing.
        val elsewhere = Vault.open(dir, JvmKeyStore(), TestClock())
        assertThrows<BrobyggerException.PlatformKeysMissing> { elsewhere.unlock(PIN) }
        assertTrue(elsewhere.status().platformKeysMissing)
    }

    @Test
    fun `ten wrong PINs leave only the recovery key`() {
        val dir = tempVaultDir().toString()
        val clock = TestClock()
        val created = createVault(dir, PIN, JvmKeyStore(), clock)
        val vault = created.vault
        vault.lock()
        repeat(9) { i ->
            val e = assertThrows<BrobyggerException.WrongPin> { vault.unlock("11111$i") }
            assertEquals((9 - i).toUInt(), e.attemptsLeft)
            // After the third wrong PIN each try waits longer; an immediate retry is refused.
            if (i >= 3) {
                val wait = assertThrows<BrobyggerException.PinDelay> { vault.unlock(PIN) }
                assertTrue(wait.seconds > 0u)
                clock.advance(Duration.ofSeconds(wait.seconds.toLong()))
            }
        }
        assertThrows<BrobyggerException.PinDisabled> { vault.unlock("999999") }
        assertThrows<BrobyggerException.PinDisabled> { vault.unlock(PIN) }
        assertTrue(vault.status().pinDisabled)
        assertThrows<BrobyggerException.WrongRecoveryKey> {
            vault.unlockWithRecoveryKey("AAAA-".repeat(12) + "AAAA", "135790")
        }
        vault.unlockWithRecoveryKey(created.recoveryKey.reveal().lowercase(), "135790")
        assertTrue(vault.isUnlocked())
        vault.lock()
        vault.unlock("135790")
    }

    @Test
    fun `change PIN and wipe`() {
        val dir = tempVaultDir().toString()
        val keyStore = JvmKeyStore()
        val vault = createVault(dir, PIN, keyStore, TestClock()).vault
        assertThrows<BrobyggerException.WrongPin> { vault.changePin("000000", "583920") }
        vault.changePin(PIN, "583920")
        vault.lock()
        assertThrows<BrobyggerException.WrongPin> { vault.unlock(PIN) }
        vault.unlock("583920")
        vault.wipe()
        assertFalse(vaultExists(dir))
        assertEquals(0, keyStore.keyCount(), "the platform key is deleted too")
        assertThrows<BrobyggerException.NoVault> { vault.listCitizens() }
        assertThrows<BrobyggerException.NoVault> { Vault.open(dir, keyStore, TestClock()) }
    }

    @Test
    fun `creating over an existing vault is refused`() {
        val dir = tempVaultDir().toString()
        createVault(dir, PIN, JvmKeyStore(), TestClock())
        assertThrows<BrobyggerException.VaultExists> { createVault(dir, PIN, JvmKeyStore(), TestClock()) }
    }
}
