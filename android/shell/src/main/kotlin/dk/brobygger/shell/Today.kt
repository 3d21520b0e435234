package dk.brobygger.shell

import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import dk.brobygger.core.AgendaItem
import dk.brobygger.core.AttentionItem
import dk.brobygger.core.Outcome
import dk.brobygger.core.Resolution
import dk.brobygger.core.Today
import dk.brobygger.core.Vault
import dk.brobygger.core.appointmentKindLabel
import dk.brobygger.core.appointmentStatusLabel
import dk.brobygger.core.attentionCode
import dk.brobygger.core.attentionMessage
import dk.brobygger.core.dayNoteMessage
import kotlinx.coroutines.CoroutineDispatcher
import java.time.LocalDate

data class TodayUi(val date: LocalDate, val today: Today? = null)

/**
 * Today: the core's one call for the screen (agenda with names, places and times; everything
 * waiting for the worker), and the one-tap answers to what waits: resend or drop a reminder
 * whose fate is unknown, approve a held text, record attended or no-show, tick off a follow-up.
 */
class TodayState(
    private val vault: Vault,
    dispatcher: CoroutineDispatcher,
    hooks: Hooks,
    date: LocalDate,
) : Holder<TodayUi>(TodayUi(date), dispatcher, hooks) {
    init {
        load()
    }

    fun load() = launch {
        val date = state.value.date
        val today = vault.today(date)
        update { if (it.date == date) it.copy(today = today) else it }
    }

    fun showDay(date: LocalDate) {
        update { TodayUi(date) }
        load()
    }

    fun resolve(reminderId: String, resolution: Resolution) = changeReminders { vault.resolveReminder(reminderId, resolution) }
    fun approve(reminderId: String) = changeReminders { vault.approveReminderText(reminderId) }
    fun outcome(appointmentId: String, outcome: Outcome) = changeReminders { vault.setOutcome(appointmentId, outcome) }

    fun followUpDone(followUpId: String) = launch {
        vault.setFollowUpDone(followUpId, true)
        load()
    }

    private fun changeReminders(call: () -> Unit) = launch {
        call()
        hooks.remindersChanged()
        load()
    }
}

@Composable
fun TodayScreen(holder: TodayState, navigate: (Route) -> Unit) {
    val ui by holder.state.collectAsState()
    val error by holder.error.collectAsState()
    val lang = LocalLanguage.current
    Screen(tr("I dag", "Today") + " · " + dayText(ui.date, lang)) {
        Actions {
            Button(onClick = { navigate(Route.Note()) }, modifier = Modifier.testTag("today-new-note")) { Text(tr("Nyt notat", "New note")) }
            SmallAction(tr("Ny aftale", "New appointment"), "today-book") { navigate(Route.Booking()) }
            SmallAction(tr("Forrige dag", "Previous day"), "today-prev") { holder.showDay(ui.date.minusDays(1)) }
            SmallAction(tr("Næste dag", "Next day"), "today-next") { holder.showDay(ui.date.plusDays(1)) }
            SmallAction(tr("Spørgeskema til borgeren", "Survey for the citizen"), "today-survey") { navigate(Route.SurveyStart) }
        }
        ErrorText(error, holder::dismissError)
        val today = ui.today ?: return@Screen Text(tr("Henter …", "Loading …"))
        for (note in today.dayNotes) Text(dayNoteMessage(note, lang), style = MaterialTheme.typography.bodyLarge, modifier = Modifier.testTag("day-note"))

        Section(tr("Aftaler", "Appointments"))
        if (today.appointments.isEmpty()) Text(tr("Ingen aftaler.", "No appointments."))
        for (a in today.appointments) AgendaRow(a) { navigate(Route.Appointment(a.appointmentId)) }

        Section(tr("Venter på dig", "Waiting for you"))
        if (today.attention.isEmpty()) Text(tr("Intet venter.", "Nothing is waiting."), modifier = Modifier.testTag("attention-empty"))
        for ((i, item) in today.attention.withIndex()) AttentionRow(item, i, holder, navigate)
        if (today.more > 0u) Text(tr("… og ${today.more} mere", "… and ${today.more} more"))
    }
}

@Composable
fun AgendaRow(a: AgendaItem, open: () -> Unit) {
    val lang = LocalLanguage.current
    ItemCard("agenda:${a.appointmentId}") {
        Text(
            "${timeText(a.localStart.toLocalTime(), lang)}–${timeText(a.localEnd.toLocalTime(), lang)} " + (a.citizen ?: tr("Anonym", "Anonymous")),
            style = MaterialTheme.typography.titleMedium,
        )
        Text(listOfNotNull(a.venue ?: a.outsidePlace, appointmentKindLabel(a.kind, lang), appointmentStatusLabel(a.status, lang)).joinToString(" · "))
        val r = a.reminders
        val reminders = buildList {
            if (r.planned > 0u) add(tr("${r.planned} planlagt", "${r.planned} planned"))
            if (r.sent + r.delivered > 0u) add(tr("${r.sent + r.delivered} sendt", "${r.sent + r.delivered} sent"))
            if (r.held + r.failed + r.unknown > 0u) add(tr("${r.held + r.failed + r.unknown} kræver dig", "${r.held + r.failed + r.unknown} need you"))
        }
        if (reminders.isNotEmpty()) Text(tr("Påmindelser: ", "Reminders: ") + reminders.joinToString(", "))
        SmallAction(tr("Åbn aftalen", "Open the appointment"), "agenda-open:${a.appointmentId}", open)
    }
}

@Composable
private fun AttentionRow(item: AttentionItem, index: Int, holder: TodayState, navigate: (Route) -> Unit) {
    val lang = LocalLanguage.current
    ItemCard("attention:${attentionCode(item)}:$index") {
        Text(attentionMessage(item, lang))
        Actions {
            when (item) {
                is AttentionItem.ReminderUnknown -> {
                    SmallAction(tr("Send igen", "Send again"), "resend:${item.reminderId}") { holder.resolve(item.reminderId, Resolution.RESEND) }
                    SmallAction(tr("Send ikke", "Do not send"), "drop:${item.reminderId}") { holder.resolve(item.reminderId, Resolution.DROP) }
                }
                is AttentionItem.ReminderFailed -> {
                    SmallAction(tr("Send igen", "Send again"), "resend:${item.reminderId}") { holder.resolve(item.reminderId, Resolution.RESEND) }
                    SmallAction(tr("Se aftalen", "See the appointment"), "open:${item.appointmentId}") { navigate(Route.Appointment(item.appointmentId)) }
                }
                is AttentionItem.ReminderHeld -> {
                    SmallAction(tr("Godkend teksten", "Approve the text"), "approve:${item.reminderId}") { holder.approve(item.reminderId) }
                    SmallAction(tr("Ret teksten", "Edit the text"), "edit:${item.reminderId}") { navigate(Route.Reminders) }
                }
                is AttentionItem.OutcomeMissing -> {
                    SmallAction(tr("Mødt", "Attended"), "attended:${item.appointmentId}") { holder.outcome(item.appointmentId, Outcome.ATTENDED) }
                    SmallAction(tr("Udeblev", "No-show"), "no-show:${item.appointmentId}") { holder.outcome(item.appointmentId, Outcome.NO_SHOW) }
                }
                is AttentionItem.FollowUpDue ->
                    SmallAction(tr("Udført", "Done"), "done:${item.followUpId}") { holder.followUpDone(item.followUpId) }
                is AttentionItem.DraftWaiting ->
                    SmallAction(tr("Skriv videre", "Continue writing"), "draft:${item.noteId}") { navigate(Route.Note(noteId = item.noteId)) }
                is AttentionItem.NotJournalised ->
                    SmallAction(tr("Journalisér", "Journalise"), "journal:${item.noteId}") { navigate(Route.Note(noteId = item.noteId)) }
                is AttentionItem.RecoveryKeyRotationAdvised ->
                    SmallAction(tr("Lav ny nøgle", "Make a new key"), "rotate-key") { navigate(Route.Settings) }
                is AttentionItem.OutboxKeyMissing, is AttentionItem.IntegrityProblem ->
                    SmallAction(tr("Indstillinger", "Settings"), "settings") { navigate(Route.Settings) }
            }
        }
    }
}
