package dk.brobygger.shell

import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import dk.brobygger.core.AuditCheck
import dk.brobygger.core.AuditEntry
import dk.brobygger.core.Language
import dk.brobygger.core.LifecycleStatus
import dk.brobygger.core.RestoreReport
import dk.brobygger.core.RetentionReport
import dk.brobygger.core.RetentionSettings
import dk.brobygger.core.Vault
import dk.brobygger.core.fieldLabel
import dk.brobygger.core.restoreReportMessage
import dk.brobygger.core.retentionReportMessage
import kotlinx.coroutines.CoroutineDispatcher
import java.time.LocalDate
import java.time.ZoneId

/** The suggested name of a backup file: the date only, nothing about anyone. */
fun backupFileName(date: LocalDate) = "brobygger-backup-$date.bbk"

/** The suggested name of a citizen's access-request export: the date only, never the citizen. */
fun exportFileName(date: LocalDate) = "indsigt-$date.html"

/** How the file picker ended, in the shell's words. */
fun savedText(saved: Saved, language: Language): String = when (saved) {
    Saved.SAVED -> pick(language, "Filen er gemt.", "The file is saved.")
    Saved.CANCELLED -> pick(language, "Filen blev ikke gemt.", "The file was not saved.")
    Saved.FAILED -> pick(language, "Filen kunne ikke skrives dér. Vælg et andet sted.", "The file could not be written there. Choose another place.")
}

data class BackupUi(val status: LifecycleStatus? = null, val busy: Boolean = false, val notice: String? = null)

/**
 * Backups: the core's status (age, reminder, whether a backup can be made), and making one:
 * the core writes it into the app's cache on the dispatcher, then the app's file picker copies it
 * where the worker chooses and deletes the cache copy.
 */
class BackupState(
    private val vault: Vault,
    dispatcher: CoroutineDispatcher,
    hooks: Hooks,
    private val device: Device,
    private val today: LocalDate,
) : Holder<BackupUi>(BackupUi(), dispatcher, hooks) {
    init {
        load()
    }

    fun load() = launch(quiet = true) { update { it.copy(status = vault.lifecycleStatus(language)) } }

    fun create() {
        update { it.copy(busy = true, notice = null) }
        launch {
            val file = device.cacheFile("backup")
            var handedOver = false
            try {
                val info = vault.createBackup(file.path)
                handedOver = true
                device.saveFile(file, backupFileName(today), "application/octet-stream") { saved ->
                    update { it.copy(notice = savedText(saved, language)) }
                    // A backup that went nowhere must not count as the last one.
                    if (saved != Saved.SAVED) launch(quiet = true) {
                        vault.backupNotKept(info.createdAt)
                        update { it.copy(status = vault.lifecycleStatus(language)) }
                    }
                }
            } finally {
                if (!handedOver) file.delete()
                update { it.copy(busy = false) }
                load()
            }
        }
    }
}

/** The core's backup status in words; without a backup key, the way to a new recovery key. */
@Composable
fun BackupStatus(s: LifecycleStatus, toRecoveryKey: () -> Unit) {
    val lang = LocalLanguage.current
    if (s.backupOverdue) {
        Card(colors = CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.errorContainer), modifier = Modifier.fillMaxWidth()) {
            Text("⚠ " + s.backupMessage, color = MaterialTheme.colorScheme.onErrorContainer, modifier = Modifier.padding(12.dp).testTag("backup-message"))
        }
    } else {
        Text(s.backupMessage, modifier = Modifier.testTag("backup-message"))
    }
    s.lastBackupAt?.let { Text(tr("Seneste: ", "Latest: ") + instantText(it, ZoneId.systemDefault(), lang), modifier = Modifier.testTag("backup-last")) }
    if (!s.backupReady) {
        Text(
            tr("Før den første sikkerhedskopi skal du lave en ny gendannelsesnøgle. Sikkerhedskopien kan kun åbnes med den nye nøgle.",
                "Before the first backup, make a new recovery key. The backup opens only with the new key."),
            modifier = Modifier.testTag("backup-not-ready"),
        )
        SmallAction(tr("Lav en ny gendannelsesnøgle", "Make a new recovery key"), "backup-to-key", toRecoveryKey)
    }
}

@Composable
fun BackupScreen(holder: BackupState, navigate: (Route) -> Unit, back: () -> Unit) {
    val ui by holder.state.collectAsState()
    val error by holder.error.collectAsState()
    Screen(tr("Sikkerhedskopi", "Backup"), onBack = back) {
        ErrorText(error, holder::dismissError)
        val s = ui.status ?: return@Screen Text(tr("Henter …", "Loading …"))
        BackupStatus(s) { navigate(Route.Settings) }
        Text(tr("Sikkerhedskopien er krypteret og kan kun åbnes med gendannelsesnøglen. Gem den et sted, der ikke er telefonen.",
            "The backup is encrypted and opens only with the recovery key. Keep it somewhere other than the phone."))
        Button(onClick = holder::create, enabled = s.backupReady && !ui.busy, modifier = Modifier.testTag("backup-create")) {
            Text(if (ui.busy) tr("Laver sikkerhedskopi …", "Making the backup …") else tr("Lav sikkerhedskopi", "Make a backup"))
        }
        ui.notice?.let { Text(it, modifier = Modifier.testTag("backup-notice")) }
        Text(tr("På en ny telefon: vælg \"Gendan fra sikkerhedskopi\", når appen starter første gang.",
            "On a new phone: choose \"Restore from backup\" when the app starts for the first time."))
        Section(tr("Mere om dine data", "More about your data"))
        Actions {
            SmallAction(tr("Opbevaring og sletning", "Keeping and deleting"), "backup-retention") { navigate(Route.Retention) }
            SmallAction(tr("Log over handlinger", "Log of actions"), "backup-audit") { navigate(Route.Audit) }
        }
    }
}

/** What a restore brought back, in the core's words. */
fun restoreReportText(r: RestoreReport, language: Language): String = restoreReportMessage(r, language)

data class RetentionUi(
    val status: LifecycleStatus? = null,
    val purge: String = "",
    val flagFinal: String = "",
    val reduce: String = "",
    val reminder: String = "",
    val wipeDays: String = "",
    val duress: String = "",
    val duressRepeat: String = "",
    val notice: String? = null,
)

/** What a retention run did, in the core's words. */
fun retentionReportText(r: RetentionReport, language: Language) =
    pick(language, "Gemt. ", "Saved. ") + retentionReportMessage(r, language)

/**
 * How long data is kept, the backup reminder, the wipe after days without an unlock and the
 * duress PIN. Every limit is the core's: the shell only parses numbers and shows what the core
 * refused in its words.
 */
class RetentionState(
    private val vault: Vault,
    dispatcher: CoroutineDispatcher,
    hooks: Hooks,
) : Holder<RetentionUi>(RetentionUi(), dispatcher, hooks) {
    init {
        load(fields = true)
    }

    private fun load(fields: Boolean) = launch(quiet = true) {
        val s = vault.lifecycleStatus(language)
        update {
            val r = s.retention
            if (!fields) it.copy(status = s)
            else it.copy(status = s, purge = r.purgeAfterDays.toString(), flagFinal = r.flagFinalAfterDays.toString(),
                reduce = r.reduceAppointmentsAfterDays.toString(), reminder = r.backupReminderDays.toString(),
                wipeDays = s.inactivityWipeDays?.toString() ?: "")
        }
    }

    fun edit(f: (RetentionUi) -> RetentionUi) = update { f(it).copy(notice = null) }

    private fun days(text: String): UInt? = text.trim().toUIntOrNull()

    fun save() {
        val ui = state.value
        val settings = RetentionSettings(
            purgeAfterDays = days(ui.purge) ?: return notANumber(),
            flagFinalAfterDays = days(ui.flagFinal) ?: return notANumber(),
            reduceAppointmentsAfterDays = days(ui.reduce) ?: return notANumber(),
            backupReminderDays = days(ui.reminder) ?: return notANumber(),
        )
        launch {
            val report = vault.setRetentionSettings(settings)
            update { it.copy(notice = retentionReportText(report, language)) }
            load(fields = true)
        }
    }

    private fun notANumber() = fail(pick(language, "Skriv et antal dage.", "Write a number of days."))

    /** Blank: never. */
    fun saveWipeDays() {
        val text = state.value.wipeDays.trim()
        val d = if (text.isEmpty()) null else days(text) ?: return notANumber()
        launch {
            vault.setInactivityWipeDays(d)
            update { it.copy(notice = pick(language, "Gemt.", "Saved.")) }
            load(fields = true)
        }
    }

    fun setDuress() {
        val ui = state.value
        if (ui.duress != ui.duressRepeat) return fail(pick(language, "De to PIN-koder er ikke ens.", "The two PINs differ."))
        launch {
            vault.setDuressPin(ui.duress)
            update { it.copy(duress = "", duressRepeat = "", notice = pick(language, "Nød-PIN-koden er sat.", "The duress PIN is set.")) }
            load(fields = false)
        }
    }

    fun removeDuress() = launch {
        vault.setDuressPin(null)
        update { it.copy(notice = pick(language, "Nød-PIN-koden er fjernet.", "The duress PIN is removed.")) }
        load(fields = false)
    }
}

/** A field's name from the core's catalogue, as a label ("Sletning af journaliserede notater (dage)"). */
@Composable
private fun fieldTitle(field: String): String =
    (fieldLabel(field, LocalLanguage.current) ?: field).replaceFirstChar { it.uppercase() }

@Composable
fun RetentionScreen(holder: RetentionState, back: () -> Unit) {
    val ui by holder.state.collectAsState()
    val error by holder.error.collectAsState()
    Screen(tr("Opbevaring og sletning", "Keeping and deleting"), onBack = back) {
        ErrorText(error, holder::dismissError)
        ui.notice?.let { Text(it, modifier = Modifier.testTag("retention-notice")) }
        val s = ui.status ?: return@Screen Text(tr("Henter …", "Loading …"))
        Section(tr("Hvor længe data gemmes (dage)", "How long data is kept (days)"))
        Field(ui.purge, { v -> holder.edit { it.copy(purge = v) } }, fieldTitle("purge_after_days"), "retention-purge", keyboard = KeyboardType.Number)
        Field(ui.flagFinal, { v -> holder.edit { it.copy(flagFinal = v) } }, fieldTitle("flag_final_after_days"), "retention-flag", keyboard = KeyboardType.Number)
        Field(ui.reduce, { v -> holder.edit { it.copy(reduce = v) } }, fieldTitle("reduce_appointments_after_days"), "retention-reduce", keyboard = KeyboardType.Number)
        Field(ui.reminder, { v -> holder.edit { it.copy(reminder = v) } }, fieldTitle("backup_reminder_days"), "retention-reminder", keyboard = KeyboardType.Number)
        if (s.finalNotesFlagged > 0u) Text(tr("${s.finalNotesFlagged} færdige notater venter for længe på at blive journaliseret.", "${s.finalNotesFlagged} final notes are waiting too long to be journalised."), modifier = Modifier.testTag("retention-flagged"))
        SmallAction(tr("Gem og ryd op nu", "Save and tidy up now"), "retention-save", holder::save)

        Section(tr("Slet alt, hvis appen ikke bruges", "Delete everything when the app is not used"))
        Text(
            s.daysUntilInactivityWipe?.let { tr("Alt slettes om $it dage uden oplåsning.", "Everything is deleted after $it more days without an unlock.") }
                ?: tr("Slås fra: intet slettes af sig selv.", "Off: nothing is deleted by itself."),
            modifier = Modifier.testTag("retention-wipe-status"),
        )
        Field(ui.wipeDays, { v -> holder.edit { it.copy(wipeDays = v) } }, tr("Dage uden oplåsning (tom: aldrig)", "Days without an unlock (blank: never)"), "retention-wipe-days", keyboard = KeyboardType.Number)
        SmallAction(tr("Gem", "Save"), "retention-wipe-save", holder::saveWipeDays)

        Section(tr("Nød-PIN-kode", "Duress PIN"))
        Text(tr("En anden PIN-kode, der sletter alt uden at sige det, hvis du bliver tvunget til at låse op.",
            "A second PIN that deletes everything without a sign, should you be forced to unlock."))
        if (s.duressPinSet) {
            Text(tr("Nød-PIN-koden er sat.", "The duress PIN is set."), modifier = Modifier.testTag("retention-duress-set"))
            SmallAction(tr("Fjern nød-PIN-koden", "Remove the duress PIN"), "retention-duress-remove", holder::removeDuress)
        } else {
            Field(ui.duress, { v -> holder.edit { it.copy(duress = v) } }, tr("Nød-PIN-kode", "Duress PIN"), "retention-duress", keyboard = KeyboardType.NumberPassword, secret = true)
            Field(ui.duressRepeat, { v -> holder.edit { it.copy(duressRepeat = v) } }, tr("Gentag nød-PIN-kode", "Repeat duress PIN"), "retention-duress-repeat", keyboard = KeyboardType.NumberPassword, secret = true)
            SmallAction(tr("Sæt nød-PIN-kode", "Set duress PIN"), "retention-duress-save", holder::setDuress)
        }
    }
}

data class AuditUi(
    val check: AuditCheck? = null,
    val entries: List<AuditEntry> = emptyList(),
    val unreadable: UInt = 0u,
    val nextBefore: ULong? = null,
    val loading: Boolean = false,
)

/** The audit log newest first, a page at a time, under the core's check of its chain. */
class AuditState(
    private val vault: Vault,
    dispatcher: CoroutineDispatcher,
    hooks: Hooks,
    private val pageSize: UInt = 50u,
) : Holder<AuditUi>(AuditUi(loading = true), dispatcher, hooks) {
    init {
        launch {
            try {
                val check = vault.auditVerify(language)
                val page = vault.auditList(null, pageSize, language)
                update { it.copy(check = check, entries = page.entries, unreadable = page.unreadable, nextBefore = page.nextBefore) }
            } finally {
                update { it.copy(loading = false) }
            }
        }
    }

    fun loadMore() {
        val before = state.value.nextBefore ?: return
        if (state.value.loading) return
        update { it.copy(loading = true) }
        launch {
            try {
                val page = vault.auditList(before, pageSize, language)
                update { it.copy(entries = it.entries + page.entries, unreadable = it.unreadable + page.unreadable, nextBefore = page.nextBefore) }
            } finally {
                update { it.copy(loading = false) }
            }
        }
    }
}

@Composable
fun AuditScreen(holder: AuditState, back: () -> Unit) {
    val ui by holder.state.collectAsState()
    val error by holder.error.collectAsState()
    val lang = LocalLanguage.current
    Screen(tr("Log over handlinger", "Log of actions"), onBack = back) {
        ErrorText(error, holder::dismissError)
        val c = ui.check
        if (c != null) {
            if (c.problem != null) {
                Card(colors = CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.errorContainer), modifier = Modifier.fillMaxWidth()) {
                    Text("⚠ " + c.message, color = MaterialTheme.colorScheme.onErrorContainer, modifier = Modifier.padding(12.dp).testTag("audit-check"))
                }
            } else {
                Text(c.message, modifier = Modifier.testTag("audit-check"))
            }
        }
        for (e in ui.entries) {
            ItemCard("audit:${e.seq}") {
                Text(instantText(e.at, ZoneId.systemDefault(), lang), style = MaterialTheme.typography.labelMedium)
                Text(e.text)
            }
        }
        if (ui.unreadable > 0u) Text(tr("${ui.unreadable} poster kunne ikke læses.", "${ui.unreadable} entries could not be read."), modifier = Modifier.testTag("audit-unreadable"))
        if (ui.nextBefore != null) SmallAction(tr("Vis ældre", "Show older"), "audit-more", holder::loadMore)
        if (ui.loading) Text(tr("Henter …", "Loading …"))
    }
}

/** The notice a wipe after days without an unlock left, shown once on the set-up screen. */
@Composable
fun WipeNoticeCard(message: String, onOk: () -> Unit) {
    Card(colors = CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.errorContainer), modifier = Modifier.fillMaxWidth().testTag("wipe-notice")) {
        Column(Modifier.padding(12.dp)) {
            Text(message, color = MaterialTheme.colorScheme.onErrorContainer, modifier = Modifier.testTag("wipe-notice-text"))
            androidx.compose.material3.TextButton(onClick = onOk, modifier = Modifier.testTag("wipe-notice-ok")) { Text(tr("OK", "OK")) }
        }
    }
}
