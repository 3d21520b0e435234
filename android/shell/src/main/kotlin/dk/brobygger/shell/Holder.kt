package dk.brobygger.shell

import dk.brobygger.core.BrobyggerException
import dk.brobygger.core.CreatedVault
import dk.brobygger.core.Language
import dk.brobygger.core.RestoredVault
import dk.brobygger.core.Vault
import dk.brobygger.core.WipeNotice
import dk.brobygger.core.errorMessage
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

/**
 * What the screens need from the app around them, besides the vault.
 * - [language]: the worker's language for every word (the core's catalogue and the shell's own).
 * - [locked]: the core answered `Locked` (auto-lock after idle time): go to the PIN screen.
 * - [remindersChanged]: something that moves reminders was saved (a booking, a resolution, a
 *   consent): the platform re-arms its outbox alarm.
 * - [activity]: the worker did something (the app's idle timer starts again).
 */
class Hooks(
    val language: Language = Language.DA,
    val locked: () -> Unit = {},
    val remindersChanged: () -> Unit = {},
    val activity: () -> Unit = {},
)

/** The folder of the vault: whether there is one, open it, or set one up. The app gives the real one. */
interface VaultFolder {
    fun exists(): Boolean
    /** The process's one Vault, opened (locked) on first use. */
    fun open(): Vault
    fun create(pin: String): CreatedVault
    /** After a wipe: there is no vault any more. */
    fun forget()
    /**
     * Restores [backup] into this (empty) folder with the recovery key and a new PIN; the
     * restored vault, unlocked, becomes the process's one Vault.
     */
    fun restore(backup: String, recoveryKey: String, newPin: String): RestoredVault
    /** What a wipe after days without an unlock left here (show it once), or null. */
    fun wipeNotice(language: Language): WipeNotice?
    fun dismissWipeNotice()
}

/**
 * The base of every screen's state holder: a plain class (the app's ViewModel owns one and
 * calls [close] in onCleared) exposing [state] as a StateFlow. Every core call runs in [launch],
 * on [dispatcher] (Dispatchers.IO in the app, a test dispatcher in tests), never on the main
 * thread; its errors arrive in [error] in the words of the core's message catalogue.
 */
abstract class Holder<S>(initial: S, dispatcher: CoroutineDispatcher, protected val hooks: Hooks) : AutoCloseable {
    protected val scope = CoroutineScope(SupervisorJob() + dispatcher)
    private val mutable = MutableStateFlow(initial)
    val state: StateFlow<S> = mutable.asStateFlow()
    private val errors = MutableStateFlow<String?>(null)

    /** The last error, as the worker reads it; null when the last action went well. */
    val error: StateFlow<String?> = errors.asStateFlow()

    protected val language get() = hooks.language

    protected fun update(f: (S) -> S) = mutable.update(f)

    protected fun fail(message: String) {
        errors.value = message
    }

    fun dismissError() {
        errors.value = null
    }

    /**
     * Runs [block] (core calls) on the dispatcher; a core error becomes [error]. A new action
     * clears the last error; a [quiet] one (a refresh) leaves it on screen.
     */
    protected fun launch(quiet: Boolean = false, block: suspend CoroutineScope.() -> Unit): Job = scope.launch {
        if (!quiet) errors.value = null
        try {
            block()
        } catch (e: BrobyggerException) {
            onCoreError(e)
        }
    }

    protected open fun onCoreError(e: BrobyggerException) {
        errors.value = errorMessage(e, language)
        if (e is BrobyggerException.Locked) hooks.locked()
    }

    /** Saves whatever the worker typed and is not yet saved (before the vault locks). */
    open suspend fun flush() {}

    override fun close() = scope.cancel()
}
