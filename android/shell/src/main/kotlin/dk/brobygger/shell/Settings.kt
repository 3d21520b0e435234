package dk.brobygger.shell

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.material3.Button
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.text.font.FontFamily
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import dk.brobygger.core.Vault
import dk.brobygger.core.VaultStatus
import dk.brobygger.core.integrityLabel
import kotlinx.coroutines.CoroutineDispatcher

/** What the phone allows the app, for the worker to see (and the MDM to fix). */
data class DeviceStatus(
    val exactAlarms: Boolean = true,
    val smsPermission: Boolean = true,
    val notifications: Boolean = true,
    /** The SIM reminders go from, or null when there is none. */
    val sim: String? = "SIM",
)

/** The phone's side of the settings: the app gives the real one (biometric prompt, permissions). */
interface Device {
    /** Whether the phone has a strong biometric enrolled. */
    val biometricHardware: Boolean get() = false
    /** Read on the dispatcher. */
    fun status(): DeviceStatus = DeviceStatus()
    /** Seal [secret] behind BiometricPrompt; [done] with whether it worked. */
    fun enrollBiometric(secret: ByteArray, done: (Boolean) -> Unit) = done(false)
    fun clearBiometric() {}
    /** Offer [file] to other apps (the share sheet). Called on the holder's dispatcher thread. */
    fun shareFile(file: SharedFile) {}
    /** A new file in the app's cache for the core to write (a backup); nothing else reads it. */
    fun cacheFile(prefix: String): java.io.File = java.io.File.createTempFile(prefix, ".tmp")
    /**
     * Let the worker choose where [file] goes (the system's CreateDocument, [name] suggested);
     * the app copies it there and deletes [file] whatever happens. [done] says how it went.
     */
    fun saveFile(file: java.io.File, name: String, mimeType: String, done: (Saved) -> Unit) {
        file.delete()
        done(Saved.CANCELLED)
    }
    /** The same for bytes held in memory only (an access-request export): never written to the cache. */
    fun saveBytes(file: SharedFile, done: (Saved) -> Unit) = done(Saved.CANCELLED)
    /**
     * Let the worker pick a document (the system's OpenDocument); the app copies it into the
     * cache and hands over the copy (the caller deletes it), or null when nothing was picked.
     */
    fun openDocument(done: (java.io.File?) -> Unit) = done(null)
}

/** How handing a file to the system's file picker ended. */
enum class Saved { SAVED, CANCELLED, FAILED }

data class SettingsUi(
    val status: VaultStatus? = null,
    val device: DeviceStatus? = null,
    val autoLock: String = "",
    val oldPin: String = "",
    val newPin: String = "",
    val repeatPin: String = "",
    val notice: String? = null,
    /** A new recovery key's groups, shown once. */
    val newKey: List<String> = emptyList(),
    val wipeConfirm: String = "",
)

/** Auto-lock, change PIN, biometric unlock on or off, a new recovery key, wipe; and what the phone allows. */
class SettingsState(
    private val vault: Vault,
    dispatcher: CoroutineDispatcher,
    hooks: Hooks,
    private val device: Device,
    private val onWiped: () -> Unit,
) : Holder<SettingsUi>(SettingsUi(), dispatcher, hooks) {
    init {
        load()
    }

    fun load() = launch {
        val s = vault.status()
        val d = device.status()
        update { it.copy(status = s, device = d, autoLock = s.autoLockMinutes.toString()) }
    }

    fun edit(f: (SettingsUi) -> SettingsUi) = update { f(it).copy(notice = null) }

    private fun done(da: String, en: String) = update { it.copy(notice = pick(language, da, en)) }

    fun saveAutoLock() {
        val minutes = state.value.autoLock.trim().toUIntOrNull() ?: return fail(pick(language, "Skriv et antal minutter.", "Write a number of minutes."))
        launch {
            vault.setAutoLockMinutes(minutes)
            done("Gemt.", "Saved.")
            load()
        }
    }

    fun changePin() {
        val ui = state.value
        if (ui.newPin != ui.repeatPin) return fail(pick(language, "De to nye PIN-koder er ikke ens.", "The two new PINs differ."))
        launch {
            vault.changePin(ui.oldPin, ui.newPin)
            update { it.copy(oldPin = "", newPin = "", repeatPin = "") }
            done("PIN-koden er skiftet.", "The PIN is changed.")
        }
    }

    fun setBiometric(on: Boolean) = launch {
        if (on) {
            val secret = vault.enrollBiometric()
            device.enrollBiometric(secret) { ok ->
                secret.fill(0)
                if (!ok) launch { vault.removeBiometric(); load() } else load()
            }
        } else {
            vault.removeBiometric()
            device.clearBiometric()
            load()
        }
    }

    fun rotateRecoveryKey() = launch {
        val key = vault.rotateRecoveryKey()
        val groups = key.groups()
        key.destroy()
        update { it.copy(newKey = groups) }
        load()
    }

    fun keyWrittenDown() = update { it.copy(newKey = emptyList()) }

    fun wipe() {
        if (state.value.wipeConfirm.trim().uppercase() != pick(language, "SLET", "DELETE")) {
            return fail(pick(language, "Skriv SLET for at slette alt.", "Type DELETE to delete everything."))
        }
        launch {
            vault.wipe()
            device.clearBiometric()
            hooks.remindersChanged()
            onWiped()
        }
    }
}

@OptIn(ExperimentalLayoutApi::class)
@Composable
fun SettingsScreen(holder: SettingsState, biometricHardware: Boolean, back: () -> Unit, navigate: (Route) -> Unit = {}) {
    val ui by holder.state.collectAsState()
    val error by holder.error.collectAsState()
    val lang = LocalLanguage.current
    Screen(tr("Indstillinger", "Settings"), onBack = back) {
        ErrorText(error, holder::dismissError)
        ui.notice?.let { Text(it, modifier = Modifier.testTag("settings-notice")) }
        val d = ui.device
        if (d != null) {
            Section(tr("Telefonen", "The phone"))
            if (!d.smsPermission) Text(tr("⚠ Appen må ikke sende sms. Påmindelser går ikke ud.", "⚠ The app may not send texts. Reminders do not go out."), modifier = Modifier.testTag("device-sms"))
            if (d.sim == null) Text(tr("⚠ Intet SIM-kort. Påmindelser går ikke ud.", "⚠ No SIM card. Reminders do not go out."), modifier = Modifier.testTag("device-sim"))
            if (!d.exactAlarms) Text(tr("⚠ Præcise alarmer er slået fra: påmindelser kan komme nogle minutter for sent.", "⚠ Exact alarms are off: reminders may go out some minutes late."), modifier = Modifier.testTag("device-alarms"))
            if (!d.notifications) Text(tr("⚠ Notifikationer er slået fra: du ser fejl først i appen.", "⚠ Notifications are off: you see failures only in the app."))
            if (d.smsPermission && d.sim != null && d.exactAlarms) Text(tr("Påmindelser sendes fra ${d.sim}.", "Reminders are sent from ${d.sim}."))
        }
        val s = ui.status
        if (s != null) Text(tr("Datatjek: ", "Data check: ") + integrityLabel(s.integrity, lang))

        Section(tr("Lås", "Lock"))
        Field(ui.autoLock, { v -> holder.edit { it.copy(autoLock = v) } }, tr("Lås efter minutter uden brug", "Lock after idle minutes"), "settings-autolock", keyboard = KeyboardType.Number)
        SmallAction(tr("Gem", "Save"), "settings-autolock-save", holder::saveAutoLock)
        if (biometricHardware && s != null) {
            CheckRow(tr("Lås op med fingeraftryk eller ansigt", "Unlock with fingerprint or face"), s.biometricEnrolled, holder::setBiometric, "settings-biometric")
        }

        Section(tr("Skift PIN-kode", "Change PIN"))
        Field(ui.oldPin, { v -> holder.edit { it.copy(oldPin = v) } }, tr("Nuværende PIN-kode", "Current PIN"), "settings-old-pin", keyboard = KeyboardType.NumberPassword, secret = true)
        Field(ui.newPin, { v -> holder.edit { it.copy(newPin = v) } }, tr("Ny PIN-kode", "New PIN"), "settings-new-pin", keyboard = KeyboardType.NumberPassword, secret = true)
        Field(ui.repeatPin, { v -> holder.edit { it.copy(repeatPin = v) } }, tr("Gentag ny PIN-kode", "Repeat new PIN"), "settings-repeat-pin", keyboard = KeyboardType.NumberPassword, secret = true)
        SmallAction(tr("Skift PIN-kode", "Change PIN"), "settings-change-pin", holder::changePin)

        Section(tr("Gendannelsesnøgle", "Recovery key"))
        if (ui.newKey.isEmpty()) {
            SmallAction(tr("Lav en ny gendannelsesnøgle", "Make a new recovery key"), "settings-rotate-key", holder::rotateRecoveryKey)
        } else {
            Text(tr("Skriv den nye nøgle ned. Den gamle virker ikke længere.", "Write the new key down. The old one no longer works."))
            FlowRow(horizontalArrangement = Arrangement.spacedBy(12.dp), modifier = Modifier.testTag("settings-new-key")) {
                ui.newKey.forEachIndexed { i, g -> Text("${i + 1}. $g", fontFamily = FontFamily.Monospace) }
            }
            SmallAction(tr("Jeg har skrevet den ned", "I have written it down"), "settings-key-written", holder::keyWrittenDown)
        }

        Section(tr("Dine data", "Your data"))
        Actions {
            SmallAction(tr("Sikkerhedskopi", "Backup"), "settings-backup") { navigate(Route.Backup) }
            SmallAction(tr("Opbevaring og sletning", "Keeping and deleting"), "settings-retention") { navigate(Route.Retention) }
            SmallAction(tr("Log over handlinger", "Log of actions"), "settings-audit") { navigate(Route.Audit) }
        }

        Section(tr("Slet alt på telefonen", "Delete everything on the phone"))
        Text(tr("Alle borgere, notater og aftaler slettes, så de ikke kan gendannes uden en sikkerhedskopi.",
            "Every citizen, note and appointment is deleted; without a backup they cannot be restored."))
        Field(ui.wipeConfirm, { v -> holder.edit { it.copy(wipeConfirm = v) } }, tr("Skriv SLET", "Type DELETE"), "settings-wipe-confirm")
        Button(onClick = holder::wipe, modifier = Modifier.testTag("settings-wipe")) { Text(tr("Slet alt", "Delete everything")) }
    }
}
