package dk.brobygger.shell

import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.NavigationBar
import androidx.compose.material3.NavigationBarItem
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalDensity
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.unit.Density
import dk.brobygger.core.Language
import dk.brobygger.core.Vault
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.launch
import java.time.LocalDate

/** Where the worker is. */
sealed interface Route {
    data object Today : Route
    data object Citizens : Route
    data class Citizen(val id: String) : Route
    data class CitizenEdit(val id: String? = null) : Route
    data object Notes : Route
    data class Note(val noteId: String? = null, val citizenId: String? = null) : Route
    data class Booking(val citizenId: String? = null, val reschedule: String? = null) : Route
    data class Appointment(val id: String) : Route
    data object Reminders : Route
    data object Venues : Route
    data object Profile : Route
    data object NoShows : Route
    data object Figures : Route
    data object SurveyStart : Route
    data object Settings : Route
    data object Backup : Route
    data object Retention : Route
    data object Audit : Route
    data object More : Route
}

sealed interface AppScreen {
    data object Starting : AppScreen
    data class SetUp(val holder: SetUpState) : AppScreen
    data class Unlock(val holder: UnlockState) : AppScreen
    data class Open(val route: Route, val holder: Holder<*>?, val canGoBack: Boolean) : AppScreen
    /** Survey mode: the citizen holds the phone; only the survey is shown, the vault is locked. */
    data class Survey(val holder: SurveyState) : AppScreen
}

/**
 * The app's state above the screens: set-up, locked or open, and the back stack of screens.
 * Each screen gets a fresh state holder when shown (its data lives in the core), and the old one
 * saves what is pending and is closed. Plain Kotlin: the Android app's ViewModel owns one, tests
 * drive it directly.
 *
 * [lock] is for the app leaving the foreground (and its idle timer): pending text is saved, then
 * the vault locks, off the main thread.
 *
 * Survey mode ([AppScreen.Survey]) is a screen of its own above the stack: while it runs,
 * [navigate], [tab] and [back] do nothing and [lock] keeps it; only the worker's PIN or
 * biometrics leave it (back to the screen it was started from), or the core ending it (the PIN
 * screen).
 */
class AppState(
    private val folder: VaultFolder,
    private val dispatcher: CoroutineDispatcher,
    val language: Language,
    private val today: () -> LocalDate,
    remindersChanged: () -> Unit = {},
    val device: Device = object : Device {},
    /** Whether the biometric slot is there to offer (the app's BiometricSlot). */
    private val biometricEnrolled: () -> Boolean = { false },
    /** Show BiometricPrompt; the app hands the secret to [biometricSecret]. */
    private val requestBiometric: () -> Unit = {},
    activity: () -> Unit = {},
) : AutoCloseable {
    val hooks = Hooks(language, locked = ::onLocked, remindersChanged = remindersChanged, activity = activity)
    private val scope = CoroutineScope(SupervisorJob() + dispatcher)
    private val mutable = MutableStateFlow<AppScreen>(AppScreen.Starting)
    val screen: StateFlow<AppScreen> = mutable.asStateFlow()
    private val stack = ArrayList<Route>()
    @Volatile private var vault: Vault? = null
    private val lock = Any()

    init {
        scope.launch {
            if (folder.exists()) {
                val v = folder.open()
                // Days without an unlock ran out while the app was closed: the core wipes now,
                // and set-up shows its notice.
                val wipedNow = try {
                    v.enforceInactivityWipe()
                } catch (e: dk.brobygger.core.BrobyggerException) {
                    false // the vault says nothing now; the PIN screen shows what is wrong
                }
                if (wipedNow) {
                    folder.forget()
                    device.clearBiometric()
                    hooks.remindersChanged()
                    showSetUp()
                } else {
                    vault = v
                    showUnlock()
                }
            } else {
                showSetUp()
            }
        }
    }

    private fun set(next: AppScreen) = synchronized(lock) {
        val old = mutable.value
        mutable.value = next
        val oldHolder = when (old) {
            is AppScreen.SetUp -> old.holder
            is AppScreen.Unlock -> old.holder
            is AppScreen.Open -> old.holder
            is AppScreen.Survey -> old.holder
            AppScreen.Starting -> null
        }
        if (oldHolder != null) scope.launch {
            try {
                oldHolder.flush()
            } catch (e: dk.brobygger.core.BrobyggerException) {
                // Locked meanwhile: what was not saved by the debounce is lost; nothing else to do.
            } finally {
                oldHolder.close()
            }
        }
    }

    private fun showSetUp() = set(AppScreen.SetUp(SetUpState(folder, dispatcher, hooks, onDone = { v -> vault = v; stack.clear(); open() }, device = device)))

    private fun showUnlock() {
        val v = vault ?: return showSetUp()
        set(AppScreen.Unlock(UnlockState(v, dispatcher, hooks, onUnlocked = ::open, onGone = ::wipedAtUnlock, biometricAvailable = biometricEnrolled(), biometricRequested = requestBiometric)))
    }

    private fun open() = synchronized(lock) {
        if (stack.isEmpty()) stack += Route.Today
        show()
    }

    private fun show() = synchronized(lock) {
        val route = stack.last()
        set(AppScreen.Open(route, holderFor(route), canGoBack = stack.size > 1))
    }

    /** Opens [route] on top of the current screen. */
    fun navigate(route: Route) = synchronized(lock) {
        if (vault?.let { mutable.value is AppScreen.Open } != true) return
        stack += route
        show()
    }

    /** One of the main sections (bottom bar): starts a new stack. */
    fun tab(route: Route) = synchronized(lock) {
        if (mutable.value !is AppScreen.Open) return
        stack.clear()
        stack += route
        show()
    }

    /** Back; false when there is nothing to go back to (the app may close). */
    fun back(): Boolean = synchronized(lock) {
        if (mutable.value !is AppScreen.Open || stack.size <= 1) return false
        stack.removeAt(stack.size - 1)
        show()
        true
    }

    private fun replaceTop(route: Route) = synchronized(lock) {
        if (stack.isNotEmpty()) stack.removeAt(stack.size - 1)
        stack += route
        show()
    }

    /** The app left the foreground (or its idle timer fired): save what is pending, lock, ask for the PIN. */
    fun lock() {
        val current = mutable.value
        scope.launch {
            if (current is AppScreen.Open) try {
                current.holder?.flush()
            } catch (e: dk.brobygger.core.BrobyggerException) {
                // Already locked.
            }
            vault?.lock()
            if (mutable.value is AppScreen.Open || mutable.value is AppScreen.Unlock) showUnlock()
        }
    }

    /** The core said Locked (idle too long): ask for the PIN. */
    private fun onLocked() {
        if (mutable.value is AppScreen.Open) showUnlock()
    }

    /** The secret from BiometricPrompt, for the unlock screen or to leave survey mode. */
    fun biometricSecret(secret: ByteArray) {
        when (val s = mutable.value) {
            is AppScreen.Unlock -> s.holder.unlockWithBiometric(secret)
            is AppScreen.Survey -> s.holder.leaveWithBiometric(secret)
            else -> secret.fill(0)
        }
    }

    /** BiometricPrompt could not be used (new enrolment, cancelled for good): PIN only. */
    fun biometricGone() {
        when (val s = mutable.value) {
            is AppScreen.Unlock -> s.holder.biometricUnavailable()
            is AppScreen.Survey -> s.holder.biometricUnavailable()
            else -> {}
        }
    }

    /** Survey mode started (the vault is now locked): the survey alone, until the worker leaves it. */
    private fun enterSurvey(mode: dk.brobygger.core.SurveyMode) = synchronized(lock) {
        val v = vault ?: return mode.destroy()
        // Leaving goes back to where survey mode was started from, not to the start screen.
        if (stack.lastOrNull() == Route.SurveyStart) stack.removeAt(stack.size - 1)
        set(AppScreen.Survey(SurveyState(mode, v, dispatcher, hooks, onLeft = ::leftSurvey, onEnded = ::surveyEnded,
            biometricAvailable = biometricEnrolled(), biometricRequested = requestBiometric)))
    }

    private fun leftSurvey() {
        if (mutable.value is AppScreen.Survey) open()
    }

    private fun surveyEnded() {
        if (mutable.value is AppScreen.Survey) showUnlock()
    }

    /** Whether survey mode still runs (the app asks every minute): after 15 idle minutes the core ends it. */
    fun checkSurvey() {
        (mutable.value as? AppScreen.Survey)?.holder?.check()
    }

    /** The duress PIN wiped the vault (the core answers `NoVault`): set-up, as on a fresh install. */
    private fun wipedAtUnlock() {
        device.clearBiometric()
        hooks.remindersChanged()
        wiped()
    }

    private fun wiped() = synchronized(lock) {
        folder.forget()
        vault = null
        stack.clear()
        showSetUp()
    }

    private fun holderFor(route: Route): Holder<*>? {
        val v = vault ?: return null
        val d = dispatcher
        val h = hooks
        return when (route) {
            Route.Today -> TodayState(v, d, h, today())
            Route.Citizens -> CitizensState(v, d, h)
            is Route.Citizen -> CitizenOverviewState(v, d, h, route.id, onDeleted = { back() }, device = device, today = today())
            is Route.CitizenEdit -> CitizenEditState(v, d, h, route.id, onSaved = { c -> replaceTop(Route.Citizen(c.id)) })
            Route.Notes -> NotesState(v, d, h)
            is Route.Note -> NoteHolder(v, d, h, route.noteId, route.citizenId)
            is Route.Booking -> BookingState(v, d, h, route.citizenId, route.reschedule, today(), onBooked = { id -> replaceTop(Route.Appointment(id)) })
            is Route.Appointment -> AppointmentState(v, d, h, route.id)
            Route.Reminders -> RemindersState(v, d, h)
            Route.Venues -> VenuesState(v, d, h, today())
            Route.Profile -> ProfileState(v, d, h)
            Route.NoShows -> NoShowsState(v, d, h, today())
            Route.Figures -> FiguresState(v, d, h, today(), share = device::shareFile)
            Route.SurveyStart -> SurveyStartState(v, d, h, onStarted = ::enterSurvey)
            Route.Settings -> SettingsState(v, d, h, device, onWiped = ::wiped)
            Route.Backup -> BackupState(v, d, h, device, today())
            Route.Retention -> RetentionState(v, d, h)
            Route.Audit -> AuditState(v, d, h)
            Route.More -> null
        }
    }

    override fun close() {
        set(AppScreen.Starting)
        scope.cancel()
    }
}

/** The whole app: Material 3, the worker's language, and the screen [app] is on. */
@Composable
fun BrobyggerApp(app: AppState, modifier: Modifier = Modifier) {
    val screen by app.screen.collectAsState()
    CompositionLocalProvider(LocalLanguage provides app.language) {
        MaterialTheme {
            Surface(modifier.fillMaxSize()) {
                when (val s = screen) {
                    AppScreen.Starting -> Text("Brobygger")
                    is AppScreen.SetUp -> SetUpScreen(s.holder)
                    is AppScreen.Unlock -> UnlockScreen(s.holder)
                    is AppScreen.Open -> Scaffold(bottomBar = { MainBar(s.route, app) }) { padding ->
                        Box(Modifier.padding(padding)) { RouteScreen(s, app) }
                    }
                    // No bottom bar, no back: the survey and the worker's way out, nothing else.
                    is AppScreen.Survey -> SurveyScreen(s.holder)
                }
            }
        }
    }
}

@Composable
private fun MainBar(route: Route, app: AppState) {
    val tabs = listOf(
        Route.Today to tr("I dag", "Today"),
        Route.Citizens to tr("Borgere", "Citizens"),
        Route.Notes to tr("Notater", "Notes"),
        Route.Reminders to tr("Sms", "Texts"),
        Route.More to tr("Mere", "More"),
    )
    NavigationBar {
        for ((r, label) in tabs) {
            NavigationBarItem(
                selected = r == route,
                onClick = { app.tab(r) },
                icon = {},
                // Bar labels grow with the font only up to 130 %: beyond that five tabs cannot fit.
                // The screens themselves follow the full font size.
                label = {
                    val d = LocalDensity.current
                    CompositionLocalProvider(LocalDensity provides Density(d.density, minOf(d.fontScale, 1.3f))) { Text(label, maxLines = 1) }
                },
                modifier = Modifier.testTag("tab:$label"),
            )
        }
    }
}

@Composable
private fun RouteScreen(s: AppScreen.Open, app: AppState) {
    val nav: (Route) -> Unit = app::navigate
    val back: (() -> Unit)? = if (s.canGoBack) ({ app.back() }) else null
    val backOrToday: () -> Unit = back ?: { app.tab(Route.Today) }
    when (val h = s.holder) {
        is TodayState -> TodayScreen(h, nav)
        is CitizensState -> CitizensScreen(h, nav)
        is CitizenOverviewState -> CitizenOverviewScreen(h, nav, backOrToday)
        is CitizenEditState -> CitizenEditScreen(h, isNew = (s.route as Route.CitizenEdit).id == null, back = backOrToday)
        is NotesState -> NotesScreen(h, nav, backOrToday)
        is NoteHolder -> NoteScreen(h, backOrToday)
        is BookingState -> BookingScreen(h, backOrToday)
        is AppointmentState -> AppointmentScreen(h, nav, backOrToday)
        is RemindersState -> RemindersScreen(h, nav, backOrToday)
        is VenuesState -> VenuesScreen(h, backOrToday)
        is ProfileState -> ProfileScreen(h, backOrToday)
        is NoShowsState -> NoShowsScreen(h, backOrToday)
        is FiguresState -> FiguresScreen(h, backOrToday)
        is SurveyStartState -> SurveyStartScreen(h, nav, backOrToday)
        is SettingsState -> SettingsScreen(h, app.device.biometricHardware, backOrToday, nav)
        is BackupState -> BackupScreen(h, nav, backOrToday)
        is RetentionState -> RetentionScreen(h, backOrToday)
        is AuditState -> AuditScreen(h, backOrToday)
        null -> MoreScreen(nav)
        else -> Text("?")
    }
}

@Composable
private fun MoreScreen(navigate: (Route) -> Unit) {
    Screen(tr("Mere", "More")) {
        SmallAction(tr("Steder, træffetider og fravær", "Places, office hours and absence"), "more-venues") { navigate(Route.Venues) }
        SmallAction(tr("Dig og dine påmindelser", "You and your reminders"), "more-profile") { navigate(Route.Profile) }
        SmallAction(tr("Udeblivelser", "No-shows"), "more-noshows") { navigate(Route.NoShows) }
        SmallAction(tr("Tal til evalueringen", "Evaluation figures"), "more-figures") { navigate(Route.Figures) }
        SmallAction(tr("Spørgeskema til borgeren", "Survey for the citizen"), "more-survey") { navigate(Route.SurveyStart) }
        SmallAction(tr("Sikkerhedskopi", "Backup"), "more-backup") { navigate(Route.Backup) }
        SmallAction(tr("Opbevaring og sletning", "Keeping and deleting"), "more-retention") { navigate(Route.Retention) }
        SmallAction(tr("Log over handlinger", "Log of actions"), "more-audit") { navigate(Route.Audit) }
        SmallAction(tr("Indstillinger", "Settings"), "more-settings") { navigate(Route.Settings) }
    }
}
