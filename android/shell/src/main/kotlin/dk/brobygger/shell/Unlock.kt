package dk.brobygger.shell

import androidx.compose.material3.Button
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.input.KeyboardType
import dk.brobygger.core.BrobyggerException
import dk.brobygger.core.Vault
import dk.brobygger.core.VaultStatus
import kotlinx.coroutines.CoroutineDispatcher

data class UnlockUi(
    val status: VaultStatus? = null,
    val pin: String = "",
    val busy: Boolean = false,
    val recovery: Boolean = false,
    val recoveryKey: String = "",
    val newPin: String = "",
    /** The app can offer the biometric prompt (enrolled here and the key still valid). */
    val biometricOffered: Boolean = false,
)

/**
 * The PIN screen. Unlocking runs the core's PIN KDF (600 000 PBKDF2 rounds) on the dispatcher,
 * never the main thread. Shows attempts left and waits; after ten wrong PINs, or when the key
 * store lost this vault's keys, only the recovery key opens it (and sets a new PIN).
 * Biometric unlock: the app shows BiometricPrompt ([biometricRequested]) and hands the secret
 * back to [unlockWithBiometric]; any failure falls back to the PIN.
 */
class UnlockState(
    private val vault: Vault,
    dispatcher: CoroutineDispatcher,
    hooks: Hooks,
    private val onUnlocked: () -> Unit,
    /** The vault is gone (the duress PIN wiped it): set-up, as on a fresh install. */
    private val onGone: () -> Unit = {},
    biometricAvailable: Boolean = false,
    private val biometricRequested: () -> Unit = {},
) : Holder<UnlockUi>(UnlockUi(biometricOffered = biometricAvailable), dispatcher, hooks) {
    init {
        refresh()
    }

    fun onPin(pin: String) = update { it.copy(pin = pin) }
    fun onRecoveryKey(key: String) = update { it.copy(recoveryKey = key) }
    fun onNewPin(pin: String) = update { it.copy(newPin = pin) }
    fun useRecoveryKey(on: Boolean) = update { it.copy(recovery = on) }

    fun unlock() {
        val pin = state.value.pin
        update { it.copy(busy = true) }
        launch {
            try {
                vault.unlock(pin)
                update { it.copy(pin = "") }
                onUnlocked()
            } finally {
                update { it.copy(busy = false) }
            }
        }
    }

    fun unlockWithRecoveryKey() {
        val ui = state.value
        update { it.copy(busy = true) }
        launch {
            try {
                vault.unlockWithRecoveryKey(ui.recoveryKey, ui.newPin)
                update { it.copy(recoveryKey = "", newPin = "") }
                onUnlocked()
            } finally {
                update { it.copy(busy = false) }
            }
        }
    }

    fun requestBiometric() = biometricRequested()

    /** The secret from the biometric slot, after BiometricPrompt succeeded. */
    fun unlockWithBiometric(secret: ByteArray) = launch {
        try {
            vault.unlockWithBiometric(secret)
            onUnlocked()
        } finally {
            secret.fill(0)
        }
    }

    /** The biometric slot is gone (a new fingerprint was enrolled): the PIN it is. */
    fun biometricUnavailable() = update { it.copy(biometricOffered = false) }

    private fun refresh() = launch(quiet = true) {
        val status = vault.status()
        update {
            it.copy(
                status = status,
                recovery = it.recovery || status.pinDisabled || status.platformKeysMissing,
                biometricOffered = it.biometricOffered && status.biometricEnrolled,
            )
        }
    }

    override fun onCoreError(e: BrobyggerException) {
        if (e is BrobyggerException.NoVault) {
            // The duress PIN wiped the vault: no error, the set-up screen as on a fresh install.
            update { it.copy(pin = "") }
            return onGone()
        }
        super.onCoreError(e)
        update { it.copy(pin = "") }
        refresh()
    }
}

@Composable
fun UnlockScreen(holder: UnlockState) {
    val ui by holder.state.collectAsState()
    val error by holder.error.collectAsState()
    val status = ui.status
    LaunchedEffect(ui.biometricOffered) { if (ui.biometricOffered) holder.requestBiometric() }
    if (!ui.recovery) {
        Screen(tr("Lås Brobygger op", "Unlock Brobygger")) {
            Field(ui.pin, holder::onPin, tr("PIN-kode", "PIN"), "unlock-pin", keyboard = KeyboardType.NumberPassword, secret = true)
            ErrorText(error)
            if (status != null && status.pinAttemptsLeft < 10u) {
                Text(
                    tr("${status.pinAttemptsLeft} forsøg tilbage", "${status.pinAttemptsLeft} attempts left"),
                    modifier = Modifier.testTag("unlock-attempts").semantics { liveRegion = LiveRegionMode.Polite },
                )
            }
            Actions {
                Button(onClick = holder::unlock, enabled = !ui.busy && ui.pin.isNotEmpty(), modifier = Modifier.testTag("unlock-ok")) {
                    Text(if (ui.busy) tr("Låser op …", "Unlocking …") else tr("Lås op", "Unlock"))
                }
                if (ui.biometricOffered) SmallAction(tr("Brug fingeraftryk", "Use fingerprint"), "unlock-biometric", holder::requestBiometric)
                SmallAction(tr("Jeg har glemt PIN-koden", "I forgot the PIN"), "unlock-forgot") { holder.useRecoveryKey(true) }
            }
        }
    } else {
        Screen(tr("Åbn med gendannelsesnøglen", "Open with the recovery key")) {
            Text(tr("Skriv gendannelsesnøglen, og vælg en ny PIN-kode.", "Type the recovery key and choose a new PIN."))
            Field(ui.recoveryKey, holder::onRecoveryKey, tr("Gendannelsesnøgle", "Recovery key"), "recovery-key", singleLine = false)
            Field(ui.newPin, holder::onNewPin, tr("Ny PIN-kode", "New PIN"), "recovery-new-pin", keyboard = KeyboardType.NumberPassword, secret = true)
            ErrorText(error)
            Actions {
                Button(onClick = holder::unlockWithRecoveryKey, enabled = !ui.busy, modifier = Modifier.testTag("recovery-ok")) { Text(tr("Åbn", "Open")) }
                if (status?.pinDisabled != true && status?.platformKeysMissing != true) {
                    SmallAction(tr("Brug PIN-kode", "Use the PIN"), "recovery-back") { holder.useRecoveryKey(false) }
                }
            }
        }
    }
}
