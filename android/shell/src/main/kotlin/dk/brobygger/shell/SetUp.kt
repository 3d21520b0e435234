package dk.brobygger.shell

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.font.FontFamily
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import dk.brobygger.core.RecoveryKey
import dk.brobygger.core.RestoreReport
import dk.brobygger.core.Vault
import dk.brobygger.core.checkNewPin
import dk.brobygger.core.errorMessage
import kotlinx.coroutines.CoroutineDispatcher
import java.io.File
import java.security.SecureRandom
import kotlin.random.Random
import kotlin.random.asKotlinRandom

data class SetUpUi(
    val step: Step = Step.CHOOSE_PIN,
    val pin: String = "",
    val repeat: String = "",
    val busy: Boolean = false,
    /** The recovery key's groups, while they are shown; gone once confirmed. */
    val groups: List<String> = emptyList(),
    /** Which group (0-based) the worker types back to show they wrote the key down. */
    val confirmIndex: Int = 0,
    val confirmInput: String = "",
    /** The core's words about a wipe after days without an unlock, until the worker has read them. */
    val wipeNotice: String? = null,
    /** The picked backup's copy in the app's cache, while restoring. */
    val backupFile: String? = null,
    val recoveryKey: String = "",
    val report: RestoreReport? = null,
) {
    enum class Step { CHOOSE_PIN, SHOW_KEY, CONFIRM_KEY, RESTORE, RESTORED }
}

/**
 * First start: choose a PIN (twice; the core refuses common ones), then the recovery key is
 * shown once, and the worker proves they wrote it down by typing one group back. Only then does
 * the app go on; the key object is destroyed and never shown again.
 *
 * Or, on a new phone, restore: the worker picks the backup file (the app copies it into its
 * cache), types the recovery key and a new PIN; the core checks the whole file before it writes
 * anything, and its report is shown before Today. The cache copy is deleted afterwards.
 *
 * A wipe after days without an unlock left a notice in the folder: shown here until read.
 */
class SetUpState(
    private val folder: VaultFolder,
    dispatcher: CoroutineDispatcher,
    hooks: Hooks,
    private val onDone: (Vault) -> Unit,
    private val device: Device = object : Device {},
    private val random: Random = SecureRandom().asKotlinRandom(),
) : Holder<SetUpUi>(SetUpUi(), dispatcher, hooks) {
    private var vault: Vault? = null
    private var key: RecoveryKey? = null

    init {
        launch(quiet = true) {
            val notice = folder.wipeNotice(language) ?: return@launch
            update { it.copy(wipeNotice = notice.message) }
        }
    }

    /** The worker has read the wipe notice: it is not shown again. */
    fun dismissWipeNotice() {
        update { it.copy(wipeNotice = null) }
        launch { folder.dismissWipeNotice() }
    }

    fun onRecoveryKey(text: String) = update { it.copy(recoveryKey = text) }

    /** The system's file picker; the chosen backup arrives as a copy in the cache. */
    fun pickBackup() {
        dismissError()
        device.openDocument { file ->
            if (file != null) {
                state.value.backupFile?.let { old -> File(old).delete() }
                update { it.copy(step = SetUpUi.Step.RESTORE, backupFile = file.path, pin = "", repeat = "", recoveryKey = "") }
            }
        }
    }

    fun cancelRestore() {
        state.value.backupFile?.let { File(it).delete() }
        dismissError()
        update { it.copy(step = SetUpUi.Step.CHOOSE_PIN, backupFile = null, recoveryKey = "", pin = "", repeat = "") }
    }

    fun restore() {
        val ui = state.value
        val file = ui.backupFile ?: return
        if (ui.pin != ui.repeat) return fail(pick(language, "De to PIN-koder er ikke ens.", "The two PINs differ."))
        update { it.copy(busy = true) }
        launch {
            try {
                checkNewPin(ui.pin)?.let { return@launch fail(errorMessage(it, language)) }
                val restored = folder.restore(file, ui.recoveryKey, ui.pin) // the whole file is checked here
                vault = restored.vault
                File(file).delete()
                if (ui.wipeNotice != null) folder.dismissWipeNotice()
                update { it.copy(step = SetUpUi.Step.RESTORED, report = restored.report, backupFile = null, recoveryKey = "", pin = "", repeat = "", wipeNotice = null) }
            } finally {
                update { it.copy(busy = false) }
            }
        }
    }

    /** After the report: Today. */
    fun restoredContinue() {
        update { SetUpUi() }
        vault?.let(onDone)
    }

    fun onPin(pin: String) = update { it.copy(pin = pin) }
    fun onRepeat(repeat: String) = update { it.copy(repeat = repeat) }
    fun onConfirmInput(text: String) = update { it.copy(confirmInput = text) }

    fun choosePin() {
        val ui = state.value
        if (ui.pin != ui.repeat) return fail(pick(language, "De to PIN-koder er ikke ens.", "The two PINs differ."))
        update { it.copy(busy = true) }
        launch {
            try {
                checkNewPin(ui.pin)?.let { return@launch fail(errorMessage(it, language)) }
                val created = folder.create(ui.pin) // the PIN's KDF runs here, on the dispatcher
                vault = created.vault
                key = created.recoveryKey
                if (ui.wipeNotice != null) folder.dismissWipeNotice()
                val groups = created.recoveryKey.groups()
                update { it.copy(step = SetUpUi.Step.SHOW_KEY, groups = groups, pin = "", repeat = "", confirmIndex = random.nextInt(groups.size), wipeNotice = null) }
            } finally {
                update { it.copy(busy = false) }
            }
        }
    }

    fun writtenDown() = update { it.copy(step = SetUpUi.Step.CONFIRM_KEY, confirmInput = "") }
    fun showAgain() = update { it.copy(step = SetUpUi.Step.SHOW_KEY) }

    fun confirm() {
        val ui = state.value
        val typed = ui.confirmInput.trim().uppercase()
        if (typed != ui.groups.getOrNull(ui.confirmIndex)) {
            return fail(pick(language, "Det passer ikke med nøglen. Se efter igen.", "That does not match the key. Check again."))
        }
        dismissError()
        key?.destroy()
        key = null
        update { SetUpUi() }
        vault?.let(onDone)
    }

    override fun close() {
        key?.destroy()
        state.value.backupFile?.let { File(it).delete() }
        super.close()
    }
}

@OptIn(ExperimentalLayoutApi::class)
@Composable
fun SetUpScreen(holder: SetUpState) {
    val ui by holder.state.collectAsState()
    val error by holder.error.collectAsState()
    when (ui.step) {
        SetUpUi.Step.CHOOSE_PIN -> Screen(tr("Velkommen til Brobygger", "Welcome to Brobygger")) {
            ui.wipeNotice?.let { WipeNoticeCard(it, holder::dismissWipeNotice) }
            Text(tr("Vælg en PIN-kode på mindst 6 tegn. Den låser dine notater og borgere op på denne telefon.",
                "Choose a PIN of at least 6 characters. It unlocks your notes and citizens on this phone."))
            Field(ui.pin, holder::onPin, tr("PIN-kode", "PIN"), "setup-pin", keyboard = KeyboardType.NumberPassword, secret = true)
            Field(ui.repeat, holder::onRepeat, tr("Gentag PIN-kode", "Repeat PIN"), "setup-repeat", keyboard = KeyboardType.NumberPassword, secret = true)
            ErrorText(error)
            Button(onClick = holder::choosePin, enabled = !ui.busy, modifier = Modifier.testTag("setup-next")) {
                Text(if (ui.busy) tr("Opretter …", "Setting up …") else tr("Næste", "Next"))
            }
            Section(tr("Ny telefon?", "A new phone?"))
            Text(tr("Har du en sikkerhedskopi fra din gamle telefon, kan du hente alt tilbage med den og din gendannelsesnøgle.",
                "With a backup from your old phone and your recovery key, you can bring everything back."))
            SmallAction(tr("Gendan fra sikkerhedskopi", "Restore from backup"), "setup-restore", holder::pickBackup)
        }
        SetUpUi.Step.RESTORE -> Screen(tr("Gendan fra sikkerhedskopi", "Restore from backup")) {
            Text(tr("Skriv gendannelsesnøglen, som sikkerhedskopien blev lavet med, og vælg en ny PIN-kode til denne telefon.",
                "Type the recovery key the backup was made with, and choose a new PIN for this phone."))
            Field(ui.recoveryKey, holder::onRecoveryKey, tr("Gendannelsesnøgle", "Recovery key"), "restore-key")
            Field(ui.pin, holder::onPin, tr("Ny PIN-kode", "New PIN"), "restore-pin", keyboard = KeyboardType.NumberPassword, secret = true)
            Field(ui.repeat, holder::onRepeat, tr("Gentag ny PIN-kode", "Repeat new PIN"), "restore-repeat", keyboard = KeyboardType.NumberPassword, secret = true)
            ErrorText(error)
            Actions {
                Button(onClick = holder::restore, enabled = !ui.busy, modifier = Modifier.testTag("restore-ok")) {
                    Text(if (ui.busy) tr("Gendanner …", "Restoring …") else tr("Gendan", "Restore"))
                }
                SmallAction(tr("Vælg en anden fil", "Choose another file"), "restore-pick", holder::pickBackup)
                SmallAction(tr("Fortryd", "Cancel"), "restore-cancel", holder::cancelRestore)
            }
        }
        SetUpUi.Step.RESTORED -> Screen(tr("Gendannet", "Restored")) {
            val r = ui.report
            if (r != null) Text(restoreReportText(r, LocalLanguage.current), modifier = Modifier.testTag("restore-report"))
            Button(onClick = holder::restoredContinue, modifier = Modifier.testTag("restore-done")) { Text(tr("Videre", "Continue")) }
        }
        SetUpUi.Step.SHOW_KEY -> Screen(tr("Din gendannelsesnøgle", "Your recovery key")) {
            Text(tr(
                "Skriv nøglen ned på papir og gem den et sikkert sted. Den vises kun nu. Du skal bruge den, hvis du glemmer PIN-koden eller får ny telefon.",
                "Write the key down on paper and keep it somewhere safe. It is shown only now. You need it if you forget the PIN or get a new phone.",
            ))
            val spoken = ui.groups.joinToString(", ") { it.toList().joinToString(" ") }
            FlowRow(
                horizontalArrangement = Arrangement.spacedBy(12.dp),
                modifier = Modifier.testTag("recovery-key").semantics { contentDescription = spoken },
            ) {
                ui.groups.forEachIndexed { i, g ->
                    Text("${i + 1}. $g", fontFamily = FontFamily.Monospace, style = MaterialTheme.typography.titleMedium)
                }
            }
            Button(onClick = holder::writtenDown, modifier = Modifier.testTag("setup-written")) { Text(tr("Jeg har skrevet den ned", "I have written it down")) }
        }
        SetUpUi.Step.CONFIRM_KEY -> Screen(tr("Tjek nøglen", "Check the key")) {
            Text(tr("Skriv gruppe nr. ${ui.confirmIndex + 1} af nøglen, som du skrev den ned.",
                "Type group no. ${ui.confirmIndex + 1} of the key as you wrote it down."))
            Field(ui.confirmInput, holder::onConfirmInput, tr("Gruppe ${ui.confirmIndex + 1}", "Group ${ui.confirmIndex + 1}"), "setup-confirm")
            ErrorText(error)
            Actions {
                Button(onClick = holder::confirm, modifier = Modifier.testTag("setup-confirm-ok")) { Text(tr("Bekræft", "Confirm")) }
                SmallAction(tr("Vis nøglen igen", "Show the key again"), "setup-show-again", holder::showAgain)
            }
        }
    }
}
