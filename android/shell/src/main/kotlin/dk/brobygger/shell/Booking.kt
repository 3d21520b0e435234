package dk.brobygger.shell

import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.text.input.KeyboardType
import dk.brobygger.core.Appointment
import dk.brobygger.core.AppointmentKind
import dk.brobygger.core.AppointmentStatus
import dk.brobygger.core.Booking
import dk.brobygger.core.BookingWarning
import dk.brobygger.core.CancelledBy
import dk.brobygger.core.Citizen
import dk.brobygger.core.NewAppointment
import dk.brobygger.core.Outcome
import dk.brobygger.core.Reminder
import dk.brobygger.core.Vault
import dk.brobygger.core.Venue
import dk.brobygger.core.appointmentKindLabel
import dk.brobygger.core.appointmentStatusLabel
import dk.brobygger.core.noRemindersMessage
import dk.brobygger.core.reminderKindLabel
import dk.brobygger.core.reminderReasonMessage
import dk.brobygger.core.reminderStateLabel
import dk.brobygger.core.warningMessage
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Job
import kotlinx.coroutines.delay
import java.time.LocalDate
import java.time.LocalDateTime
import java.time.ZoneId

data class BookingUi(
    val citizens: List<Citizen> = emptyList(),
    val venues: List<Venue> = emptyList(),
    val citizenId: String? = null,
    val venueId: String? = null,
    val outsidePlace: String = "",
    val kind: AppointmentKind = AppointmentKind.CONVERSATION,
    val date: String = "",
    val time: String = "",
    val duration: String = "60",
    /** What booking would do: warnings and the reminders with their texts, before anything is kept. */
    val preview: Booking? = null,
    /** The appointment being moved, when rescheduling. */
    val rescheduling: Appointment? = null,
    val busy: Boolean = false,
)

/**
 * Booking: citizen, venue or an outside place, kind, date, time, duration. Every change asks the
 * core for a preview (debounced), so the warnings (overlap, outside office hours, absence,
 * holiday, in the past, DST, held text) and the reminders' send times and texts are on screen
 * before anything is saved. Also rescheduling an appointment.
 */
class BookingState(
    private val vault: Vault,
    dispatcher: CoroutineDispatcher,
    hooks: Hooks,
    citizenId: String?,
    private val rescheduleId: String?,
    date: LocalDate,
    private val onBooked: (appointmentId: String) -> Unit,
    private val debounceMillis: Long = 300,
) : Holder<BookingUi>(BookingUi(citizenId = citizenId, date = date.toString()), dispatcher, hooks) {
    private var previewJob: Job? = null

    init {
        launch {
            val citizens = vault.listCitizens().citizens
            val venues = vault.listVenues()
            val old = rescheduleId?.let { vault.getAppointment(it) }
            update {
                it.copy(
                    citizens = citizens, venues = venues, rescheduling = old,
                    citizenId = old?.citizenId ?: it.citizenId,
                    venueId = old?.venueId ?: venues.singleOrNull()?.id,
                    outsidePlace = old?.outsidePlace.orEmpty(),
                    kind = old?.kind ?: it.kind,
                    date = old?.localStart?.toLocalDate()?.toString() ?: it.date,
                    time = old?.localStart?.toLocalTime()?.toString().orEmpty(),
                    duration = old?.let { a -> java.time.Duration.between(a.localStart, a.localEnd).toMinutes().toString() } ?: it.duration,
                )
            }
            previewSoon()
        }
    }

    fun onCitizen(id: String) = change { it.copy(citizenId = id) }
    fun onVenue(id: String?) = change { it.copy(venueId = id) }
    fun onOutsidePlace(v: String) = change { it.copy(outsidePlace = v) }
    fun onKind(k: AppointmentKind) = change { it.copy(kind = k) }
    fun onDate(v: String) = change { it.copy(date = v) }
    fun onTime(v: String) = change { it.copy(time = v) }
    fun onDuration(v: String) = change { it.copy(duration = v) }

    private fun change(f: (BookingUi) -> BookingUi) {
        update { f(it).copy(preview = null) }
        previewSoon()
    }

    private fun request(ui: BookingUi): NewAppointment? {
        val citizen = ui.citizenId ?: return null
        val date = parseDate(ui.date) ?: return null
        val time = parseTime(ui.time) ?: return null
        val minutes = ui.duration.trim().toUIntOrNull() ?: return null
        return NewAppointment(
            citizenId = citizen, venueId = ui.venueId, localStart = LocalDateTime.of(date, time),
            durationMinutes = minutes, kind = ui.kind, outsidePlace = ui.outsidePlace.ifBlank { null },
        )
    }

    private fun previewSoon() {
        previewJob?.cancel()
        val req = request(state.value) ?: return
        previewJob = launch {
            delay(debounceMillis)
            val p = vault.previewBooking(req)
            update { if (request(it) == req) it.copy(preview = p.withoutSelf()) else it }
        }
    }

    /** When moving an appointment, it does not overlap with itself. */
    private fun Booking.withoutSelf() = copy(warnings = warnings.filterNot { it is BookingWarning.Overlap && it.appointmentId == rescheduleId })

    fun book() {
        val ui = state.value
        val req = request(ui) ?: return fail(
            when {
                ui.citizenId == null -> pick(language, "Vælg en borger.", "Choose a citizen.")
                parseDate(ui.date) == null -> pick(language, "Skriv datoen som 2026-03-31.", "Write the date as 2026-03-31.")
                parseTime(ui.time) == null -> pick(language, "Skriv tiden som 10:00.", "Write the time as 10:00.")
                else -> pick(language, "Skriv varigheden i minutter.", "Write the duration in minutes.")
            },
        )
        update { it.copy(busy = true) }
        launch {
            try {
                val booking = if (rescheduleId != null) {
                    vault.rescheduleAppointment(rescheduleId, req.localStart, req.durationMinutes)
                } else {
                    vault.bookAppointment(req)
                }
                hooks.remindersChanged()
                onBooked(booking.appointment.id)
            } finally {
                update { it.copy(busy = false) }
            }
        }
    }
}

@Composable
fun BookingScreen(holder: BookingState, back: () -> Unit) {
    val ui by holder.state.collectAsState()
    val error by holder.error.collectAsState()
    val lang = LocalLanguage.current
    Screen(if (ui.rescheduling != null) tr("Flyt aftalen", "Move the appointment") else tr("Ny aftale", "New appointment"), onBack = back) {
        if (ui.rescheduling == null) {
            Text(tr("Borger", "Citizen"))
            Chips(ui.citizens, { it.id == ui.citizenId }, { it.nickname }, { holder.onCitizen(it.id) }, "booking-citizen")
        }
        Text(tr("Hvor", "Where"))
        Chips(listOf<Venue?>(null) + ui.venues, { it?.id == ui.venueId }, { it?.name ?: tr("Andet sted", "Elsewhere") }, { holder.onVenue(it?.id) }, "booking-venue")
        Field(ui.outsidePlace, holder::onOutsidePlace, tr("Andet sted (retten, lægen, Borgerservice …)", "Other place (court, doctor, citizen service …)"), "booking-place")
        Text(tr("Slags", "Kind"))
        Chips(AppointmentKind.entries, { it == ui.kind }, { appointmentKindLabel(it, lang) }, holder::onKind, "booking-kind")
        Field(ui.date, holder::onDate, tr("Dato (ÅÅÅÅ-MM-DD)", "Date (YYYY-MM-DD)"), "booking-date")
        Field(ui.time, holder::onTime, tr("Tid (TT:MM)", "Time (HH:MM)"), "booking-time", keyboard = KeyboardType.Number)
        Field(ui.duration, holder::onDuration, tr("Varighed i minutter", "Duration in minutes"), "booking-duration", keyboard = KeyboardType.Number)

        val p = ui.preview
        if (p != null) {
            if (p.warnings.isNotEmpty()) Section(tr("Advarsler", "Warnings"))
            for ((i, w) in p.warnings.withIndex()) {
                Text("⚠ " + warningMessage(w, lang), color = MaterialTheme.colorScheme.error, modifier = Modifier.testTag("booking-warning:$i"))
            }
            Section(tr("Påmindelser", "Reminders"))
            p.noReminders?.let { Text(noRemindersMessage(it, lang), modifier = Modifier.testTag("booking-no-reminders")) }
            for ((i, r) in p.reminders.withIndex()) {
                ItemCard("booking-reminder:$i") {
                    Text(reminderKindLabel(r.reminder.kind, lang) + " · " + dateTimeText(r.localSendAt, lang), style = MaterialTheme.typography.titleSmall)
                    Text(r.reminder.text.orEmpty(), modifier = Modifier.testTag("booking-reminder-text:$i"))
                }
            }
        }
        ErrorText(error, holder::dismissError)
        Button(onClick = holder::book, enabled = !ui.busy, modifier = Modifier.testTag("booking-save")) {
            Text(if (ui.rescheduling != null) tr("Flyt", "Move") else tr("Book", "Book"))
        }
    }
}

// ---- One appointment ----

data class AppointmentUi(
    val appointment: Appointment? = null,
    val citizen: String? = null,
    val venue: String? = null,
    val reminders: List<Reminder> = emptyList(),
)

/** One appointment: confirm, cancel (by whom), record the outcome, move it; its reminders and their states. */
class AppointmentState(
    private val vault: Vault,
    dispatcher: CoroutineDispatcher,
    hooks: Hooks,
    private val appointmentId: String,
) : Holder<AppointmentUi>(AppointmentUi(), dispatcher, hooks) {
    init {
        load()
    }

    fun load() = launch {
        val a = vault.getAppointment(appointmentId)
        val citizen = a.citizenId?.let { vault.getCitizen(it).nickname }
        val venue = a.venueId?.let { vault.getVenue(it).name }
        val reminders = vault.listReminders(appointmentId)
        update { AppointmentUi(a, citizen, venue, reminders) }
    }

    fun confirm() = change { vault.confirmAppointment(appointmentId) }
    fun cancel(by: CancelledBy) = change { vault.cancelAppointment(appointmentId, by) }
    fun outcome(o: Outcome) = change { vault.setOutcome(appointmentId, o) }

    private fun change(call: () -> Unit) = launch {
        call()
        hooks.remindersChanged()
        load()
    }
}

@Composable
fun AppointmentScreen(holder: AppointmentState, navigate: (Route) -> Unit, back: () -> Unit) {
    val ui by holder.state.collectAsState()
    val error by holder.error.collectAsState()
    val lang = LocalLanguage.current
    val a = ui.appointment
    Screen(tr("Aftale", "Appointment"), onBack = back) {
        ErrorText(error, holder::dismissError)
        if (a == null) return@Screen Text(tr("Henter …", "Loading …"))
        Text((ui.citizen ?: tr("Slettet borger", "Deleted citizen")) + " · " + appointmentKindLabel(a.kind, lang), style = MaterialTheme.typography.titleMedium)
        Text(dateTimeText(a.localStart, lang) + "–" + timeText(a.localEnd.toLocalTime(), lang))
        Text(listOfNotNull(ui.venue, a.outsidePlace).joinToString(" · "))
        Text(appointmentStatusLabel(a.status, lang), modifier = Modifier.testTag("appointment-status"))
        val open = a.status == AppointmentStatus.PLANNED || a.status == AppointmentStatus.CONFIRMED
        Actions {
            if (a.status == AppointmentStatus.PLANNED) SmallAction(tr("Bekræftet af borgeren", "Confirmed by the citizen"), "appointment-confirm", holder::confirm)
            if (open) {
                SmallAction(tr("Flyt", "Move"), "appointment-move") { navigate(Route.Booking(reschedule = a.id)) }
                SmallAction(tr("Aflyst af borgeren", "Cancelled by the citizen"), "appointment-cancel-citizen") { holder.cancel(CancelledBy.CITIZEN) }
                SmallAction(tr("Aflys", "Cancel"), "appointment-cancel-worker") { holder.cancel(CancelledBy.WORKER) }
            }
            if (open || a.status == AppointmentStatus.ATTENDED || a.status == AppointmentStatus.NO_SHOW) {
                SmallAction(tr("Mødt", "Attended"), "appointment-attended") { holder.outcome(Outcome.ATTENDED) }
                SmallAction(tr("Udeblev", "No-show"), "appointment-no-show") { holder.outcome(Outcome.NO_SHOW) }
            }
        }
        Section(tr("Påmindelser", "Reminders"))
        if (ui.reminders.isEmpty()) Text(tr("Ingen påmindelser.", "No reminders."))
        for (r in ui.reminders) {
            ItemCard("appointment-reminder:${r.id}") {
                Text(reminderKindLabel(r.kind, lang) + " · " + instantText(r.sendAt, ZoneId.of(a.timeZone), lang) + " · " + reminderStateLabel(r.state, lang))
                r.reason?.let { Text(reminderReasonMessage(it, lang)) }
                r.text?.let { Text(it) }
            }
        }
    }
}
