package dk.brobygger.app

import android.app.Application
import androidx.lifecycle.AndroidViewModel
import androidx.lifecycle.DefaultLifecycleObserver
import androidx.lifecycle.LifecycleOwner
import androidx.lifecycle.ProcessLifecycleOwner
import androidx.lifecycle.viewModelScope
import dk.brobygger.core.Language
import dk.brobygger.shell.AppScreen
import dk.brobygger.shell.AppState
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import java.time.LocalDate
import java.util.Locale

/**
 * Owns the shell's [AppState] across configuration changes, with Dispatchers.IO for every core
 * call. Locks the vault when the app leaves the foreground and after the idle time without a
 * touch (the core also refuses calls after it).
 */
class AppViewModel(application: Application) : AndroidViewModel(application) {
    private val brobygger = application as BrobyggerApplication
    /** The activity showing BiometricPrompt, while there is one. */
    var prompts: BiometricPrompts? = null

    /** Survey mode pinned the app to the screen (lock task): unpin when it ends. */
    var pinnedForSurvey = false

    val app = AppState(
        folder = brobygger.folder,
        dispatcher = Dispatchers.IO,
        language = if (Locale.getDefault().language == "en") Language.EN else Language.DA,
        today = { LocalDate.now() },
        remindersChanged = brobygger::remindersChanged,
        device = AndroidDevice(brobygger) { prompts },
        biometricEnrolled = { brobygger.biometricSlot.enrolled },
        requestBiometric = { prompts?.unlock(brobygger.biometricSlot, app) },
        activity = ::touched,
    )

    private val background = object : DefaultLifecycleObserver {
        override fun onStop(owner: LifecycleOwner) = app.lock()
    }

    private var idle: Job? = null
    @Volatile private var idleMinutes = 5L

    init {
        ProcessLifecycleOwner.get().lifecycle.addObserver(background)
        // The worker's auto-lock minutes, read (off the main thread) each time the vault opens.
        viewModelScope.launch {
            var wasOpen = false
            var surveyCheck: Job? = null
            app.screen.collect { screen ->
                val open = screen is AppScreen.Open
                if (open && !wasOpen) launch(Dispatchers.IO) {
                    brobygger.folder.open().status().autoLockMinutes.toLong().let { idleMinutes = it }
                }
                wasOpen = open
                // Survey mode ends after 15 minutes without a form (the core's clock): look every minute.
                if (screen is AppScreen.Survey && surveyCheck == null) {
                    surveyCheck = launch {
                        while (true) {
                            delay(60_000)
                            app.checkSurvey()
                        }
                    }
                } else if (screen !is AppScreen.Survey) {
                    surveyCheck?.cancel()
                    surveyCheck = null
                }
            }
        }
    }

    /** The worker touched the screen: the idle timer starts again. */
    fun touched() {
        idle?.cancel()
        idle = viewModelScope.launch {
            delay(idleMinutes * 60_000)
            if (app.screen.value is AppScreen.Open) app.lock()
        }
    }

    override fun onCleared() {
        ProcessLifecycleOwner.get().lifecycle.removeObserver(background)
        app.close()
    }
}
