package dk.brobygger.core

import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.nio.file.Files
import java.time.Duration
import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** Backup, restore, retention, the audit log, the access-request export and the wipes, as a phone calls them. */
class LifecycleTest {
    private val clock = TestClock()
    private val dir = tempVaultDir()
    private val created = createVault(dir.toString(), PIN, JvmKeyStore(), clock)
    private val vault = created.vault
    private val recoveryKey = created.recoveryKey.reveal()
    private val ole = vault.addCitizen(NewCitizen(nickname = "Ole Hansen", phone = "20 30 40 50", smsConsent = ConsentMethod.VERBAL, language = SmsLanguage.DA))

    init {
        vault.createNote(NoteInput(citizenId = ole.id, text = "Talte om gældsrådgivning hos Karin", topics = listOf(Topic.FINANCES_HOUSING)))
    }

    @Test
    fun `a backup restores on a new phone with the recovery key and a new PIN`() {
        val before = vault.lifecycleStatus(Language.DA)
        assertTrue(before.backupReady, "a new vault can make backups at once")
        assertTrue(before.backupOverdue, "never backed up: remind")
        assertNull(before.lastBackupAt)

        val file = Files.createTempDirectory("brobygger-backup").resolve("cache.bbk")
        val info = vault.createBackup(file.toString())
        assertEquals(Files.size(file).toULong(), info.bytes)
        val bytes = Files.readAllBytes(file)
        for (marker in listOf("Ole Hansen", "gældsrådgivning", "20304050")) {
            assertFalse(String(bytes, Charsets.ISO_8859_1).contains(marker) || String(bytes, Charsets.UTF_8).contains(marker), "no plaintext in the backup")
        }
        val after = vault.lifecycleStatus(Language.EN)
        assertFalse(after.backupOverdue)
        assertEquals(0u, after.backupAgeDays)

        val check = verifyBackupWithRecoveryKey(file.toString(), recoveryKey, Language.DA)
        assertNull(check.defect)
        assertNull(check.message)

        // Another phone: an empty folder and a key store of its own.
        val target = tempVaultDir()
        val restored = restoreBackup(file.toString(), recoveryKey, target.toString(), "918273", JvmKeyStore(), clock)
        assertEquals(1u, restored.report.citizens)
        assertEquals(1u, restored.report.notes)
        assertTrue(restored.report.auditIntact)
        assertEquals(listOf("Ole Hansen"), restored.vault.listCitizens().citizens.map { it.nickname })
        restored.vault.lock()
        assertThrows<BrobyggerException> { restored.vault.unlock(PIN) }
        restored.vault.unlock("918273")

        // Never over a vault, and never under another key.
        assertThrows<BrobyggerException> {
            restoreBackup(file.toString(), recoveryKey, target.toString(), "918273", JvmKeyStore(), clock)
        }
        val other = createVault(tempVaultDir().toString(), PIN, JvmKeyStore(), clock).recoveryKey.reveal()
        val wrong = verifyBackupWithRecoveryKey(file.toString(), other, Language.EN)
        assertEquals(BackupDefect.WrongKey, wrong.defect)
        assertNotNull(wrong.message)
        val elsewhere = tempVaultDir()
        assertThrows<BrobyggerException> { restoreBackup(file.toString(), other, elsewhere.toString(), "918273", JvmKeyStore(), clock) }
        assertFalse(Files.exists(elsewhere.resolve("vault.db")), "a refused restore leaves no vault")

        // One flipped byte: refused with the chunk it is in.
        bytes[bytes.size / 2] = (bytes[bytes.size / 2].toInt() xor 1).toByte()
        val damaged = Files.createTempFile("damaged", ".bbk")
        Files.write(damaged, bytes)
        val d = verifyBackupWithRecoveryKey(damaged.toString(), recoveryKey, Language.DA).defect
        assertTrue(d is BackupDefect.Damaged || d == BackupDefect.HeaderDamaged, "got $d")
    }

    @Test
    fun `the audit log lists what happened, in words and without personal data`() {
        vault.exportCitizen(ole.id, Language.DA).let { html ->
            assertContains(html, "Ole Hansen")
            assertContains(html, "gældsrådgivning")
        }
        vault.lock()
        assertThrows<BrobyggerException> { vault.unlock("000000") }
        vault.unlock(PIN)
        val page = vault.auditList(null, 50u, Language.EN)
        val kinds = page.entries.map { it.kind }
        for (k in listOf(AuditKind.VAULT_CREATED, AuditKind.CITIZEN_EXPORTED, AuditKind.WRONG_PIN, AuditKind.UNLOCKED)) {
            assertTrue(k in kinds, "$k in $kinds")
        }
        assertEquals(page.entries.sortedByDescending { it.seq }, page.entries, "newest first")
        for (e in page.entries) {
            assertFalse(e.text.contains("Ole") || e.text.contains("2030"), "no personal data: ${e.text}")
        }
        val older = vault.auditList(page.entries[1].seq, 50u, Language.EN)
        assertEquals(page.entries.drop(2).map { it.seq }, older.entries.map { it.seq }, "paging by seq")
        val check = vault.auditVerify(Language.DA)
        assertNull(check.problem)
        assertEquals(check.entries, check.sealedEntries)
    }

    @Test
    fun `retention purges journalised notes after the period and refuses bad settings`() {
        val note = vault.createNote(NoteInput(citizenId = ole.id, text = "Aftalt møde med misbrugscentret"))
        vault.finalizeNote(note.id)
        vault.markJournalised(note.id, "J-1")
        val refused = assertThrows<BrobyggerException.InvalidInput> {
            vault.setRetentionSettings(vault.lifecycleStatus(Language.DA).retention.copy(purgeAfterDays = 0u))
        }
        assertEquals("purge_after_days", refused.field)
        vault.lock()
        clock.advance(Duration.ofDays(31))
        vault.unlock(PIN) // retention runs at every unlock
        assertThrows<BrobyggerException.NotFound> { vault.getNote(note.id) }
        val status = vault.lifecycleStatus(Language.DA)
        assertEquals(30u, status.retention.purgeAfterDays)
        assertTrue(vault.auditList(null, 10u, Language.DA).entries.any { it.kind == AuditKind.NOTES_PURGED })
    }

    @Test
    fun `a duress PIN wipes silently and the app starts as on a fresh install`() {
        assertThrows<BrobyggerException.InvalidInput> { vault.setDuressPin(PIN) }
        vault.setDuressPin("999111")
        assertTrue(vault.lifecycleStatus(Language.DA).duressPinSet)
        vault.lock()
        assertThrows<BrobyggerException.NoVault> { vault.unlock("999111") }
        assertFalse(Files.exists(dir.resolve("vault.db")), "the vault file is gone")
        // Set-up works again in the same folder.
        createVault(dir.toString(), PIN, JvmKeyStore(), clock).vault.let { fresh ->
            assertEquals(0, fresh.listCitizens().citizens.size)
        }
    }
}
