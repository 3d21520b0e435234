package dk.brobygger.app

import android.app.Application
import androidx.lifecycle.AndroidViewModel
import dk.brobygger.core.BrobyggerException
import dk.brobygger.core.Citizen
import dk.brobygger.core.NewCitizen
import dk.brobygger.core.Note
import dk.brobygger.core.NoteInput
import dk.brobygger.core.SmsLanguage
import dk.brobygger.core.Vault
import dk.brobygger.core.createVault
import dk.brobygger.core.vaultExists
import dk.brobygger.platform.CipherKeyStore
import dk.brobygger.platform.Messages
import dk.brobygger.platform.SystemClock
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow

/** What the screen shows. Every decision (lock, validation, state) is the core's. */
sealed interface Screen {
    data object SetUp : Screen
    data class ShowRecoveryKey(val key: String) : Screen
    data class Unlock(val message: String? = null) : Screen
    data class Home(val citizens: List<Citizen>, val notes: List<Note>, val message: String? = null) : Screen
}

class VaultViewModel(app: Application) : AndroidViewModel(app) {
    private val dir = app.noBackupFilesDir.resolve("vault").path
    private val keyStore = CipherKeyStore(AndroidKeyProvider())
    private var vault: Vault? = null
    private val _screen = MutableStateFlow<Screen>(if (vaultExists(dir)) Screen.Unlock() else Screen.SetUp)
    val screen: StateFlow<Screen> = _screen

    fun setUp(pin: String) = guard {
        val created = createVault(dir, pin, keyStore, SystemClock)
        vault = created.vault
        _screen.value = Screen.ShowRecoveryKey(created.recoveryKey)
    }

    fun unlock(pin: String) = guard {
        val v = vault ?: Vault.open(dir, keyStore, SystemClock).also { vault = it }
        v.unlock(pin)
        refresh()
    }

    /** Called when the app goes to the background: keys leave memory at once. */
    fun lock() {
        vault?.lock()
        if (vaultExists(dir)) _screen.value = Screen.Unlock()
    }

    fun addCitizen(nickname: String, phone: String?) = guard {
        vault?.addCitizen(NewCitizen(nickname = nickname, phone = phone?.ifBlank { null }, language = SmsLanguage.DA))
        refresh()
    }

    /** Every keystroke pause saves the draft; the core makes each save durable. */
    fun saveDraft(noteId: String?, citizenId: String?, text: String): String? {
        var id = noteId
        guard {
            val v = vault ?: return@guard
            val input = NoteInput(citizenId = citizenId, text = text)
            id = if (noteId == null) v.createNote(input).id else v.saveDraft(noteId, input).id
        }
        return id
    }

    fun finalize(noteId: String) = guard {
        vault?.finalizeNote(noteId)
        refresh()
    }

    private fun refresh() {
        val v = vault ?: return
        _screen.value = Screen.Home(v.listCitizens(), v.listNotes(null, 50u))
    }

    private inline fun guard(block: () -> Unit) {
        try {
            block()
        } catch (e: BrobyggerException.Locked) {
            _screen.value = Screen.Unlock(Messages.danish(e))
        } catch (e: BrobyggerException) {
            _screen.value = when (val s = _screen.value) {
                is Screen.Home -> s.copy(message = Messages.danish(e))
                is Screen.Unlock -> Screen.Unlock(Messages.danish(e))
                else -> Screen.Unlock(Messages.danish(e))
            }
        }
    }
}
