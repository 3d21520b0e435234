package dk.brobygger.shell

import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.setValue
import androidx.compose.ui.test.assert
import androidx.compose.ui.test.assertCountEquals
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.assertIsDisplayed
import androidx.compose.ui.test.assertTextEquals
import dk.brobygger.core.BrobyggerException
import dk.brobygger.core.Language
import dk.brobygger.core.createVault
import dk.brobygger.core.errorMessage
import dk.brobygger.core.restoreBackup
import dk.brobygger.core.verifyBackupWithRecoveryKey
import dk.brobygger.core.wipeNotice
import org.junit.Assert.assertArrayEquals
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test
import java.io.File
import java.nio.file.Files
import java.sql.DriverManager
import java.time.Duration

/** What the file picker was handed: the name, the type and the bytes. */
class Handed(val name: String, val mimeType: String, val bytes: ByteArray)

/**
 * The app's file picker and cache, in a temp dir: a file to save is read and deleted (as the app
 * copies it to the picked place and deletes the cache copy); a picked document is copied into the
 * cache. [answer] is how the picker ends.
 */
class PickerDevice(private val cache: File = Files.createTempDirectory("brobygger-cache").toFile()) : Device {
    val handed = mutableListOf<Handed>()
    var answer = Saved.SAVED
    /** The document the worker picks (null: cancelled). */
    var toOpen: File? = null
    private var n = 0

    fun leftInCache(): List<File> = cache.listFiles()?.toList() ?: emptyList()

    override fun cacheFile(prefix: String) = File(cache, "$prefix-${n++}.tmp")
    override fun saveFile(file: File, name: String, mimeType: String, done: (Saved) -> Unit) {
        handed += Handed(name, mimeType, file.readBytes())
        file.delete()
        done(answer)
    }
    override fun saveBytes(file: SharedFile, done: (Saved) -> Unit) {
        handed += Handed(file.name, file.mimeType, file.bytes)
        done(answer)
    }
    override fun openDocument(done: (File?) -> Unit) = done(toOpen?.let { it.copyTo(File(cache, "picked-${n++}.tmp")) })
}

/** Backup and restore, retention, the wipes, the audit log and the access-request export, against the real core. */
class LifecycleScreensTest : ShellTest() {
    private val device = PickerDevice()

    private fun open(vararg route: Route): AppState {
        val app = app(device = device)
        show(app)
        unlockInApp()
        for (r in route) app.navigate(r)
        coreAnswers()
        return app
    }

    @Test
    fun backupStatusNeverThenRecentThenOverdueAndTheFileOpensWithTheKey() {
        val created = seeded()
        val vault = created.vault
        val never = vault.lifecycleStatus(Language.DA)
        assertTrue(never.backupOverdue)
        assertNull(never.lastBackupAt)
        val app = open(Route.Backup)
        tag("backup-message").assertTextEquals("⚠ " + never.backupMessage)

        click("backup-create")
        coreAnswers()
        assertEquals(1, device.handed.size)
        val h = device.handed.single()
        assertEquals("brobygger-backup-2026-03-30.bbk", h.name)
        assertEquals("application/octet-stream", h.mimeType)
        assertEquals("the cache copy is gone", emptyList<File>(), device.leftInCache())
        val copy = Files.createTempFile("picked", ".bbk").toFile().apply { writeBytes(h.bytes) }
        assertNull(verifyBackupWithRecoveryKey(copy.path, created.recoveryKey.reveal(), Language.DA).defect)
        seen("backup-notice").assertTextEquals(savedText(Saved.SAVED, Language.DA))
        val recent = vault.lifecycleStatus(Language.DA)
        assertFalse(recent.backupOverdue)
        assertEquals(0u, recent.backupAgeDays)
        tag("backup-message").assertTextEquals(recent.backupMessage)
        seen("backup-last").assertIsDisplayed()
        screenshot("backup")

        // Past the reminder days (7 by default): overdue again, in the core's words.
        clock.now = clock.now.plus(Duration.ofDays(8))
        app.lock()
        unlockInApp()
        app.navigate(Route.Backup)
        coreAnswers()
        val overdue = vault.lifecycleStatus(Language.DA)
        assertTrue(overdue.backupOverdue)
        assertEquals(8u, overdue.backupAgeDays)
        tag("backup-message").assertTextEquals("⚠ " + overdue.backupMessage)
        assertTrue(overdue.backupMessage != recent.backupMessage && overdue.backupMessage != never.backupMessage)

        // Cancelled in the picker: said so, and nothing left in the cache.
        device.answer = Saved.CANCELLED
        click("backup-create")
        coreAnswers()
        seen("backup-notice").assertTextEquals(savedText(Saved.CANCELLED, Language.DA))
        assertEquals(emptyList<File>(), device.leftInCache())
        // The backup that went nowhere does not count: the last one is still 8 days old.
        coreAnswers()
        val after = vault.lifecycleStatus(Language.DA)
        assertEquals(8u, after.backupAgeDays)
        assertTrue(after.backupOverdue)
        tag("backup-message").assertTextEquals("⚠ " + after.backupMessage)
    }

    @Test
    fun withoutABackupKeyTheWorkerIsSentToMakeANewRecoveryKey() {
        // Only vaults made before backups existed lack the key; the current core makes every
        // vault with one, so the core's status is shown with that one field as an old vault has it.
        val status = seeded().vault.lifecycleStatus(Language.DA).copy(backupReady = false)
        var asked = 0
        rule.setContent { Phone { CompositionLocalProvider(LocalLanguage provides Language.DA) { BackupStatus(status) { asked++ } } } }
        tag("backup-message").assertTextEquals("⚠ " + status.backupMessage)
        tag("backup-not-ready").assertIsDisplayed()
        click("backup-to-key")
        assertEquals(1, asked)
    }

    @Test
    fun restoreOnANewPhoneRefusesTheWrongKeyThenShowsTheReportAndOpensToday() {
        // The old phone: a vault with Ole and an appointment, backed up.
        val oldDir = Files.createTempDirectory("old-phone").resolve("vault").toString()
        val old = createVault(oldDir, "918273", keyStore, clock)
        old.vault.addCitizen(dk.brobygger.core.NewCitizen(nickname = "Ole", phone = "20 30 40 50", smsConsent = dk.brobygger.core.ConsentMethod.VERBAL, language = dk.brobygger.core.SmsLanguage.DA))
        val backup = Files.createTempDirectory("picked").resolve("backup.bbk").toString()
        old.vault.createBackup(backup)
        // Another vault's key: well formed, wrong for this backup.
        val other = createVault(Files.createTempDirectory("other").resolve("vault").toString(), "918273", keyStore, clock)
        val wrongKey = other.recoveryKey.reveal()
        val expected = try {
            restoreBackup(backup, wrongKey, Files.createTempDirectory("probe").resolve("vault").toString(), PIN, keyStore, clock)
            null
        } catch (e: BrobyggerException) {
            e
        }
        assertTrue(expected is BrobyggerException.WrongRecoveryKey)

        device.toOpen = File(backup)
        val app = app(device = device)
        show(app)
        coreAnswers()
        click("setup-restore")
        seen("restore-key").assertIsDisplayed()
        assertEquals("the picked file is copied into the cache", 1, device.leftInCache().size)
        type("restore-key", wrongKey)
        type("restore-pin", PIN)
        type("restore-repeat", PIN)
        click("restore-ok")
        coreAnswers()
        tag("error").assertTextEquals(errorMessage(expected!!, Language.DA))
        assertFalse("nothing restored", folder.exists())

        type("restore-key", old.recoveryKey.reveal().lowercase())
        click("restore-ok")
        coreAnswers()
        val report = (app.screen.value as AppScreen.SetUp).holder.state.value.report!!
        assertEquals(1u, report.citizens)
        assertTrue(report.auditIntact)
        tag("restore-report").assertTextEquals(restoreReportText(report, Language.DA))
        assertEquals("the cache copy is deleted", emptyList<File>(), device.leftInCache())
        screenshot("restore")

        click("restore-done")
        coreAnswers()
        seen("today-new-note").assertIsDisplayed()
        assertEquals(listOf("Ole"), folder.open().listCitizens().citizens.map { it.nickname })
        folder.open().lock()
        folder.open().unlock(PIN) // the new PIN opens it
    }

    @Test
    fun retentionRefusedInTheCoresWordsThenSavedAndTheWipesSet() {
        val vault = seeded().vault
        open(Route.Retention)
        val current = vault.lifecycleStatus(Language.DA).retention
        seen("retention-purge").assert(hasText(current.purgeAfterDays.toString()))
        val refused = try {
            vault.setRetentionSettings(current.copy(purgeAfterDays = 0u))
            null
        } catch (e: BrobyggerException) {
            e
        }
        assertNotNull("the core refuses 0 days", refused)
        type("retention-purge", "0")
        click("retention-save")
        coreAnswers()
        tag("error").assertTextEquals(errorMessage(refused!!, Language.DA))
        assertEquals(current, vault.lifecycleStatus(Language.DA).retention)

        type("retention-purge", "60")
        type("retention-reminder", "14")
        click("retention-save")
        coreAnswers()
        val saved = vault.lifecycleStatus(Language.DA).retention
        assertEquals(current.copy(purgeAfterDays = 60u, backupReminderDays = 14u), saved)
        assertTrue(rule.onNodeWithTagText("retention-notice").startsWith("Gemt."))

        type("retention-wipe-days", "30")
        click("retention-wipe-save")
        coreAnswers()
        val s = vault.lifecycleStatus(Language.DA)
        assertEquals(30u, s.inactivityWipeDays)
        seen("retention-wipe-status").assertTextEquals("Alt slettes om ${s.daysUntilInactivityWipe} dage uden oplåsning.")

        type("retention-duress", "731902")
        type("retention-duress-repeat", "731902")
        click("retention-duress-save")
        coreAnswers()
        assertTrue(vault.lifecycleStatus(Language.DA).duressPinSet)
        seen("retention-duress-set").assertIsDisplayed()
        click("retention-duress-remove")
        coreAnswers()
        assertFalse(vault.lifecycleStatus(Language.DA).duressPinSet)
    }

    @Test
    fun theDuressPinAtThePinScreenLeadsToSetUpAsOnAFreshInstall() {
        val vault = seeded().vault
        vault.setDuressPin("731902")
        vault.lock()
        val app = app(device = device)
        show(app)
        coreAnswers()
        type("unlock-pin", "731902")
        click("unlock-ok")
        coreAnswers()
        assertTrue(app.screen.value is AppScreen.SetUp)
        seen("setup-pin").assertIsDisplayed()
        assertFalse(folder.exists())
    }

    @Test
    fun daysWithoutAnUnlockWipeAtAppStartAndSetUpSaysSoOnce() {
        val vault = seeded().vault
        vault.setInactivityWipeDays(3u)
        vault.lock()
        clock.now = clock.now.plus(Duration.ofDays(4))
        val app = app(device = device)
        show(app)
        coreAnswers()
        assertTrue(app.screen.value is AppScreen.SetUp)
        assertFalse(folder.exists())
        val notice = wipeNotice(folder.dir, Language.DA)!!
        assertEquals(3u, notice.afterDays)
        tag("wipe-notice-text").assertTextEquals(notice.message)
        click("wipe-notice-ok")
        coreAnswers()
        assertNull(wipeNotice(folder.dir, Language.DA))
        rule.onAllNodesWithTagCount("wipe-notice-text", 0)
    }

    @Test
    fun theAuditLogPagesNewestFirstAndABrokenChainIsSaidAtTheTop() {
        val vault = seeded().vault
        val ole = vault.ole()
        vault.setInactivityWipeDays(90u)
        vault.setInactivityWipeDays(null)
        val retention = vault.lifecycleStatus(Language.DA).retention
        for (days in 8u..11u) vault.setRetentionSettings(retention.copy(backupReminderDays = days))
        vault.exportCitizen(ole.id, Language.DA)
        val all = vault.auditList(null, 1000u, Language.DA).entries
        assertTrue("enough entries for three pages", all.size in 7..1000)
        val holder = AuditState(vault, dispatcher, Hooks(), pageSize = 3u)
        var shown by mutableStateOf(holder)
        rule.setContent { Phone { CompositionLocalProvider(LocalLanguage provides Language.DA) { AuditScreen(shown) {} } } }
        coreAnswers()
        tag("audit-check").assertTextEquals(vault.auditVerify(Language.DA).message)
        assertNull(vault.auditVerify(Language.DA).problem)
        assertEquals(all.take(3), holder.state.value.entries)
        for (e in all.take(3)) seen("audit:${e.seq}").assertIsDisplayed()
        screenshot("audit")
        var pages = 1
        while (holder.state.value.nextBefore != null) {
            click("audit-more")
            coreAnswers()
            pages++
        }
        assertTrue(pages >= 3)
        assertEquals(all, holder.state.value.entries)
        assertEquals("newest first", all.map { it.seq }.sortedDescending(), holder.state.value.entries.map { it.seq })
        rule.onAllNodesWithTagCount("audit-more", 0)

        // An entry deleted behind the app's back: the core's words about where it breaks, on top.
        vault.lock()
        behindTheAppsBack(File(folder.dir, "vault.db"), "DELETE FROM audit_log WHERE seq = 2")
        val reopened = dk.brobygger.core.Vault.open(folder.dir, keyStore, clock)
        reopened.unlock(PIN)
        val check = reopened.auditVerify(Language.DA)
        assertEquals(2uL, check.brokenAt)
        assertNotNull(check.problem)
        val broken = AuditState(reopened, dispatcher, Hooks(), pageSize = 3u)
        shown = broken
        coreAnswers()
        tag("audit-check").assertTextEquals("⚠ " + check.message)
    }

    @Test
    fun theAccessRequestExportHandsTheCoresHtmlUnderADateName() {
        val vault = seeded().vault
        val ole = vault.ole()
        open(Route.Citizen(ole.id))
        click("citizen-export")
        assertTrue("nothing before the dispatcher runs", device.handed.isEmpty())
        coreAnswers()
        val h = device.handed.single()
        assertEquals("indsigt-2026-03-30.html", h.name)
        assertEquals("text/html", h.mimeType)
        assertFalse("no personal data in the name", h.name.contains("Ole"))
        assertArrayEquals(vault.exportCitizen(ole.id, Language.DA).toByteArray(Charsets.UTF_8), h.bytes)
        seen("citizen-export-notice").assertTextEquals(savedText(Saved.SAVED, Language.DA))
        assertEquals(emptyList<File>(), device.leftInCache())
    }

    private fun androidx.compose.ui.test.junit4.ComposeContentTestRule.onNodeWithTagText(t: String): String =
        onNodeWithTag(t, useUnmergedTree = true).fetchSemanticsNode().config[androidx.compose.ui.semantics.SemanticsProperties.Text].joinToString("") { it.text }

    private fun androidx.compose.ui.test.junit4.ComposeContentTestRule.onAllNodesWithTagCount(t: String, n: Int) =
        onAllNodes(androidx.compose.ui.test.hasTestTag(t), useUnmergedTree = true).assertCountEquals(n)
}

/** Edits the vault file as an attacker with the phone's storage could (the triggers that guard the log dropped and put back). */
fun behindTheAppsBack(db: File, sql: String) {
    DriverManager.getConnection("jdbc:sqlite:${db.path}").use { c ->
        val triggers = c.createStatement().use { s ->
            s.executeQuery("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'").use { r ->
                buildList { while (r.next()) add(r.getString(1) to r.getString(2)) }
            }
        }
        c.createStatement().use { s ->
            for ((name, _) in triggers) s.execute("DROP TRIGGER $name")
            s.execute(sql)
            for ((_, def) in triggers) s.execute(def)
        }
    }
}
