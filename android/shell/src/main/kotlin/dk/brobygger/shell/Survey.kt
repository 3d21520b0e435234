package dk.brobygger.shell

import androidx.compose.foundation.BorderStroke
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.Spacer
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.selection.selectable
import androidx.compose.foundation.selection.selectableGroup
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.clearAndSetSemantics
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import dk.brobygger.core.BrobyggerException
import dk.brobygger.core.Language
import dk.brobygger.core.SurveyMode
import dk.brobygger.core.SurveyScaleStep
import dk.brobygger.core.SurveyStatement
import dk.brobygger.core.SurveyText
import dk.brobygger.core.Vault
import dk.brobygger.core.Venue
import dk.brobygger.core.errorMessage
import dk.brobygger.core.surveyProgress
import dk.brobygger.core.surveyScale
import dk.brobygger.core.surveyStatements
import dk.brobygger.core.surveyText
import kotlinx.coroutines.CoroutineDispatcher

// ---------------------------------------------------------------------------------------------
// The worker hands the phone over.

data class SurveyStartUi(val venues: List<Venue>? = null, val venueId: String? = null, val starting: Boolean = false)

/**
 * Before the phone goes to the citizen: which drop-in centre the answers belong to. Starting
 * survey mode locks the vault (the core's doing); [onStarted] gets the survey mode.
 */
class SurveyStartState(
    private val vault: Vault,
    dispatcher: CoroutineDispatcher,
    hooks: Hooks,
    private val onStarted: (SurveyMode) -> Unit,
) : Holder<SurveyStartUi>(SurveyStartUi(), dispatcher, hooks) {
    init {
        launch {
            val venues = vault.listVenues()
            update { it.copy(venues = venues, venueId = it.venueId ?: venues.firstOrNull()?.id) }
        }
    }

    fun choose(venueId: String) = update { it.copy(venueId = venueId) }

    fun start() {
        val venue = state.value.venueId ?: return fail(pick(language, "Opret først et værested.", "Add a drop-in centre first."))
        update { it.copy(starting = true) }
        launch {
            try {
                onStarted(vault.startSurveyMode(venue))
            } finally {
                update { it.copy(starting = false) }
            }
        }
    }
}

@Composable
fun SurveyStartScreen(holder: SurveyStartState, navigate: (Route) -> Unit, back: () -> Unit) {
    val ui by holder.state.collectAsState()
    val error by holder.error.collectAsState()
    Screen(tr("Spørgeskema til borgeren", "Survey for the citizen"), onBack = back) {
        Text(
            tr(
                "Telefonen viser kun spørgeskemaet, indtil du låser op med din PIN-kode. Svarene gemmes anonymt, kun med dato og værested.",
                "The phone shows only the survey until you unlock it with your PIN. The answers are kept anonymously, with only a date and a drop-in centre.",
            ),
        )
        val venues = ui.venues ?: return@Screen
        if (venues.isEmpty()) {
            SmallAction(tr("Steder, træffetider og fravær", "Places, office hours and absence"), "survey-start-venues") { navigate(Route.Venues) }
        } else {
            Chips(venues, { it.id == ui.venueId }, { it.name }, { v -> holder.choose(v.id) }, "survey-start-venue")
        }
        ErrorText(error, holder::dismissError)
        Button(onClick = holder::start, enabled = !ui.starting && ui.venueId != null, modifier = Modifier.testTag("survey-start-go")) {
            Text(tr("Giv telefonen til borgeren", "Hand the phone to the citizen"))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Survey mode: what the citizen sees, and the worker's way out.

/** The survey's words in one language, read from the core's catalogue on the dispatcher. */
data class SurveyWords(
    val statements: List<SurveyStatement>,
    val scale: List<SurveyScaleStep>,
    val texts: Map<SurveyText, String>,
    /** "Spørgsmål 2 af 5", by statement. */
    val progress: List<String>,
) {
    fun text(t: SurveyText) = texts[t] ?: ""
}

/** A citizen's choice for one statement: a step of the scale, or not answering it. */
sealed interface Choice {
    data class Step(val value: UInt) : Choice
    data object Skipped : Choice
}

data class SurveyUi(
    val language: Language,
    val words: Map<Language, SurveyWords> = emptyMap(),
    /** [INTRO], a statement (0 until the number of statements), or [THANKS]. */
    val page: Int = INTRO,
    val choices: List<Choice?> = emptyList(),
    val sending: Boolean = false,
    /** The worker's way out is open (PIN field). */
    val leaving: Boolean = false,
    val pin: String = "",
    val busy: Boolean = false,
    val biometricOffered: Boolean = false,
) {
    val w: SurveyWords? get() = words[language]

    companion object {
        const val INTRO = -1
        const val THANKS = 1000
    }
}

/**
 * Survey mode. The vault is locked for all of it (the core locked it on the way in), so nothing
 * but the survey could be shown even by mistake. One form at a time: statements one by one in
 * large type, sent in one call, then thanks and a clean form for the next citizen (the last
 * citizen's answers leave the state when they are sent). The worker leaves with the PIN
 * ([leaveWithPin]; wrong PINs counted and delayed by the core) or biometrics; [onLeft] then
 * opens the app. When the core ends survey mode (15 idle minutes, or the PIN disabled),
 * [onEnded] shows the PIN screen. Closing the holder destroys the survey mode and its key.
 */
class SurveyState(
    private val mode: SurveyMode,
    private val vault: Vault,
    dispatcher: CoroutineDispatcher,
    hooks: Hooks,
    private val onLeft: () -> Unit,
    private val onEnded: () -> Unit,
    biometricAvailable: Boolean = false,
    private val biometricRequested: () -> Unit = {},
) : Holder<SurveyUi>(SurveyUi(language = hooks.language, biometricOffered = biometricAvailable), dispatcher, hooks) {
    init {
        launch {
            val words = Language.entries.associateWith { lang ->
                val statements = surveyStatements(lang)
                SurveyWords(
                    statements = statements,
                    scale = surveyScale(lang),
                    texts = SurveyText.entries.associateWith { surveyText(it, lang) },
                    progress = statements.indices.map { surveyProgress((it + 1).toUInt(), lang) },
                )
            }
            val count = words.values.first().statements.size
            val biometric = vault.status().biometricEnrolled
            update { it.copy(words = words, choices = List(count) { null }, biometricOffered = it.biometricOffered && biometric) }
        }
    }

    val venueId: String get() = mode.venueId()

    fun switchLanguage() = update { it.copy(language = if (it.language == Language.DA) Language.EN else Language.DA) }

    fun begin() = update { it.copy(page = 0) }

    fun choose(choice: Choice) = update { ui ->
        if (ui.page !in ui.choices.indices) ui else ui.copy(choices = ui.choices.toMutableList().also { it[ui.page] = choice })
    }

    fun next() = update { ui -> if (ui.page in ui.choices.indices && ui.page < ui.choices.size - 1 && ui.choices[ui.page] != null) ui.copy(page = ui.page + 1) else ui }

    fun back() = update { ui -> if (ui.page > 0 && ui.page in ui.choices.indices) ui.copy(page = ui.page - 1) else if (ui.page == 0) ui.copy(page = SurveyUi.INTRO) else ui }

    /** The form to the core: one stored row with five answers, `null` where not answered. */
    fun send() {
        val ui = state.value
        if (ui.choices.isEmpty() || ui.choices.any { it == null }) return
        val answers = ui.choices.map { (it as? Choice.Step)?.value }
        update { it.copy(sending = true) }
        launch {
            try {
                mode.addAnswer(answers)
                update { it.copy(page = SurveyUi.THANKS, choices = List(it.choices.size) { null }) }
            } finally {
                update { it.copy(sending = false) }
            }
        }
    }

    /** A clean form, in the worker's language, for the next citizen. */
    fun nextCitizen() = update { it.copy(page = SurveyUi.INTRO, choices = List(it.choices.size) { null }, language = hooks.language) }

    fun openLeave(open: Boolean) {
        update { it.copy(leaving = open, pin = "") }
        dismissError()
        if (open) check()
    }

    fun onPin(pin: String) = update { it.copy(pin = pin) }

    fun leaveWithPin() {
        val pin = state.value.pin
        update { it.copy(busy = true) }
        launch {
            try {
                mode.leaveWithPin(pin)
                update { it.copy(pin = "", leaving = false) }
                onLeft()
            } finally {
                update { it.copy(busy = false, pin = "") }
            }
        }
    }

    fun requestBiometric() = biometricRequested()

    /** The secret from the biometric slot, after BiometricPrompt succeeded. */
    fun leaveWithBiometric(secret: ByteArray) = launch {
        try {
            mode.leaveWithBiometric(secret)
            onLeft()
        } finally {
            secret.fill(0)
        }
    }

    fun biometricUnavailable() = update { it.copy(biometricOffered = false) }

    /** Whether survey mode still runs (the app asks now and then): when not, the PIN screen. */
    fun check() = launch(quiet = true) {
        if (!mode.isActive()) onEnded()
    }

    override fun onCoreError(e: BrobyggerException) {
        when (e) {
            // Survey mode ended (idle), or only the recovery key opens the vault now: the PIN
            // screen, which offers it. The vault stays locked either way.
            is BrobyggerException.Locked, is BrobyggerException.PinDisabled, is BrobyggerException.PlatformKeysMissing -> onEnded()
            else -> {
                if (e is BrobyggerException.BiometricUnavailable) biometricUnavailable()
                // The worker's way out in the worker's language; the form's errors in the citizen's.
                val ui = state.value
                fail(errorMessage(e, if (ui.leaving) language else ui.language))
            }
        }
    }

    override fun close() {
        super.close()
        mode.destroy()
    }
}

/** One choice of the scale: large, the whole width, a radio button for TalkBack. */
@Composable
private fun Option(text: String, selected: Boolean, tag: String, onClick: () -> Unit) {
    Surface(
        shape = MaterialTheme.shapes.medium,
        border = BorderStroke(if (selected) 3.dp else 1.dp, if (selected) MaterialTheme.colorScheme.primary else MaterialTheme.colorScheme.outline),
        color = if (selected) MaterialTheme.colorScheme.primaryContainer else MaterialTheme.colorScheme.surface,
        modifier = Modifier.fillMaxWidth().heightIn(min = 56.dp).selectable(selected = selected, role = Role.RadioButton, onClick = onClick).testTag(tag),
    ) {
        Row(Modifier.padding(horizontal = 16.dp, vertical = 12.dp), verticalAlignment = Alignment.CenterVertically) {
            // The mark is for the eye (not colour alone); TalkBack says "selected" from the role.
            Text(if (selected) "●" else "○", style = MaterialTheme.typography.titleLarge, modifier = Modifier.padding(end = 12.dp).clearAndSetSemantics {})
            Text(text, style = MaterialTheme.typography.titleLarge)
        }
    }
}

/** Survey mode's only screen: nothing else of the app is drawn while it runs. */
@Composable
fun SurveyScreen(holder: SurveyState) {
    val ui by holder.state.collectAsState()
    val error by holder.error.collectAsState()
    val w = ui.w ?: return
    // The shell's few words here (PIN, unlock) follow the language the citizen chose.
    CompositionLocalProvider(LocalLanguage provides ui.language) {
        Column(
            Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(20.dp).testTag("survey"),
            verticalArrangement = Arrangement.spacedBy(16.dp),
        ) {
            Row(verticalAlignment = Alignment.CenterVertically) {
                Spacer(Modifier.weight(1f))
                OutlinedButton(onClick = holder::switchLanguage, modifier = Modifier.testTag("survey-language")) { Text(w.text(SurveyText.OTHER_LANGUAGE)) }
            }
            when (val page = ui.page) {
                SurveyUi.INTRO -> {
                    Text(w.text(SurveyText.TITLE), style = MaterialTheme.typography.headlineLarge, modifier = Modifier.semantics { heading() }.testTag("survey-title"))
                    Text(w.text(SurveyText.INTRO), style = MaterialTheme.typography.titleLarge)
                    Button(onClick = holder::begin, modifier = Modifier.fillMaxWidth().heightIn(min = 56.dp).testTag("survey-begin")) {
                        Text(w.text(SurveyText.NEXT), style = MaterialTheme.typography.titleLarge)
                    }
                }
                SurveyUi.THANKS -> {
                    Text(w.text(SurveyText.THANKS), style = MaterialTheme.typography.headlineLarge, modifier = Modifier.semantics { heading() }.testTag("survey-thanks"))
                    Text(w.text(SurveyText.HAND_BACK), style = MaterialTheme.typography.titleLarge)
                    Button(onClick = holder::nextCitizen, modifier = Modifier.fillMaxWidth().heightIn(min = 56.dp).testTag("survey-next-citizen")) {
                        Text(w.text(SurveyText.NEXT), style = MaterialTheme.typography.titleLarge)
                    }
                }
                else -> {
                    val statement = w.statements.getOrNull(page) ?: return@Column
                    val chosen = ui.choices.getOrNull(page)
                    Text(w.progress.getOrElse(page) { "" }, style = MaterialTheme.typography.titleMedium, modifier = Modifier.testTag("survey-progress"))
                    Text(statement.text, style = MaterialTheme.typography.headlineMedium, modifier = Modifier.semantics { heading() }.testTag("survey-statement"))
                    Column(Modifier.selectableGroup(), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                        for (step in w.scale) {
                            Option(step.label, chosen == Choice.Step(step.value), "survey-answer:${step.value}") { holder.choose(Choice.Step(step.value)) }
                        }
                        Option(w.text(SurveyText.SKIP), chosen == Choice.Skipped, "survey-skip") { holder.choose(Choice.Skipped) }
                    }
                    ErrorText(error.takeUnless { ui.leaving })
                    Actions {
                        OutlinedButton(onClick = holder::back, modifier = Modifier.heightIn(min = 56.dp).testTag("survey-back")) { Text(w.text(SurveyText.BACK), style = MaterialTheme.typography.titleLarge) }
                        if (page < ui.choices.size - 1) {
                            Button(onClick = holder::next, enabled = chosen != null, modifier = Modifier.heightIn(min = 56.dp).testTag("survey-next")) { Text(w.text(SurveyText.NEXT), style = MaterialTheme.typography.titleLarge) }
                        } else {
                            Button(onClick = holder::send, enabled = chosen != null && !ui.sending, modifier = Modifier.heightIn(min = 56.dp).testTag("survey-send")) { Text(w.text(SurveyText.SEND), style = MaterialTheme.typography.titleLarge) }
                        }
                    }
                }
            }
            Spacer(Modifier.heightIn(min = 24.dp))
            WorkerLeave(holder, ui, w, error)
        }
    }
}

/** Small, at the bottom: the worker's PIN (or biometrics) ends survey mode. */
@Composable
private fun WorkerLeave(holder: SurveyState, ui: SurveyUi, w: SurveyWords, error: String?) {
    if (!ui.leaving) {
        TextButton(onClick = { holder.openLeave(true) }, modifier = Modifier.testTag("survey-worker")) { Text(w.text(SurveyText.WORKER_LEAVE)) }
        return
    }
    Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Text(w.text(SurveyText.WORKER_LEAVE), style = MaterialTheme.typography.titleMedium)
        Field(ui.pin, holder::onPin, tr("PIN-kode", "PIN"), "survey-pin", keyboard = KeyboardType.NumberPassword, secret = true)
        ErrorText(error)
        Actions {
            Button(onClick = holder::leaveWithPin, enabled = !ui.busy && ui.pin.isNotEmpty(), modifier = Modifier.testTag("survey-leave")) { Text(tr("Lås op", "Unlock")) }
            if (ui.biometricOffered) SmallAction(tr("Brug fingeraftryk", "Use fingerprint"), "survey-leave-biometric", holder::requestBiometric)
            TextButton(onClick = { holder.openLeave(false) }, modifier = Modifier.testTag("survey-leave-cancel")) { Text(w.text(SurveyText.BACK)) }
        }
    }
}
