package dk.brobygger.shell

import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import dk.brobygger.core.Absence
import dk.brobygger.core.AbsenceReason
import dk.brobygger.core.Holiday
import dk.brobygger.core.NewVenue
import dk.brobygger.core.OfficeHours
import dk.brobygger.core.Vault
import dk.brobygger.core.Venue
import dk.brobygger.core.VenueKind
import dk.brobygger.core.Weekday
import dk.brobygger.core.absenceReasonLabel
import dk.brobygger.core.danishHolidays
import kotlinx.coroutines.CoroutineDispatcher
import java.time.DayOfWeek
import java.time.LocalDate

data class VenuesUi(
    val venues: List<Venue> = emptyList(),
    val hours: List<OfficeHours> = emptyList(),
    val absences: List<Absence> = emptyList(),
    val holidays: List<Holiday> = emptyList(),
    val name: String = "",
    val address: String = "",
    val kind: VenueKind = VenueKind.MUNICIPAL,
    val privateRoom: Boolean = false,
    val hoursVenue: String? = null,
    val weekday: Weekday = Weekday.TUE,
    val from: String = "10:00",
    val to: String = "14:00",
    val absenceFrom: String = "",
    val absenceTo: String = "",
    val absenceReason: AbsenceReason = AbsenceReason.VACATION,
)

/** Drop-in centres, the worker's weekly office hours there, absences, and the coming public holidays. */
class VenuesState(private val vault: Vault, dispatcher: CoroutineDispatcher, hooks: Hooks, private val today: LocalDate) :
    Holder<VenuesUi>(VenuesUi(), dispatcher, hooks) {
    init {
        load()
    }

    fun load() = launch {
        val venues = vault.listVenues()
        val hours = vault.listOfficeHours(null)
        val absences = vault.listAbsences()
        val holidays = (danishHolidays(today.year) + danishHolidays(today.year + 1)).filter { !it.date.isBefore(today) }.take(6)
        update { it.copy(venues = venues, hours = hours, absences = absences, holidays = holidays, hoursVenue = it.hoursVenue ?: venues.firstOrNull()?.id) }
    }

    fun edit(f: (VenuesUi) -> VenuesUi) = update(f)

    fun addVenue() {
        val ui = state.value
        launch {
            vault.addVenue(NewVenue(name = ui.name, address = ui.address.ifBlank { null }, kind = ui.kind, hasPrivateRoom = ui.privateRoom))
            update { it.copy(name = "", address = "", privateRoom = false) }
            load()
        }
    }

    fun addHours() {
        val ui = state.value
        val venue = ui.hoursVenue ?: return fail(pick(language, "Opret først et sted.", "Add a place first."))
        val from = parseTime(ui.from) ?: return fail(pick(language, "Skriv tiden som 10:00.", "Write the time as 10:00."))
        val to = parseTime(ui.to) ?: return fail(pick(language, "Skriv tiden som 14:00.", "Write the time as 14:00."))
        launch {
            vault.addOfficeHours(venue, ui.weekday, from, to, null, null)
            load()
        }
    }

    fun removeHours(id: String) = launch {
        vault.removeOfficeHours(id)
        load()
    }

    fun addAbsence() {
        val ui = state.value
        val from = parseDate(ui.absenceFrom) ?: return fail(pick(language, "Skriv datoen som 2026-07-01.", "Write the date as 2026-07-01."))
        val to = parseDate(ui.absenceTo.ifBlank { ui.absenceFrom }) ?: return fail(pick(language, "Skriv datoen som 2026-07-21.", "Write the date as 2026-07-21."))
        launch {
            vault.addAbsence(from, to, ui.absenceReason)
            update { it.copy(absenceFrom = "", absenceTo = "") }
            load()
        }
    }

    fun removeAbsence(id: String) = launch {
        vault.removeAbsence(id)
        load()
    }
}

fun weekdayText(w: Weekday, language: dk.brobygger.core.Language): String =
    DayOfWeek.of(w.ordinal + 1).getDisplayName(java.time.format.TextStyle.FULL, if (language == dk.brobygger.core.Language.EN) java.util.Locale.UK else java.util.Locale.forLanguageTag("da-DK"))

@Composable
fun VenuesScreen(holder: VenuesState, back: () -> Unit) {
    val ui by holder.state.collectAsState()
    val error by holder.error.collectAsState()
    val lang = LocalLanguage.current
    Screen(tr("Steder, træffetider og fravær", "Places, office hours and absence"), onBack = back) {
        ErrorText(error, holder::dismissError)
        Section(tr("Steder", "Places"))
        for (v in ui.venues) {
            ItemCard("venue:${v.id}") {
                Text(v.name, style = MaterialTheme.typography.titleMedium)
                v.address?.let { Text(it) }
                Text((if (v.kind == VenueKind.MUNICIPAL) tr("Kommunalt", "Municipal") else tr("Privat", "Private")) +
                    (if (v.hasPrivateRoom) tr(" · har et lukket rum", " · has a private room") else ""))
                for (h in ui.hours.filter { it.venueId == v.id }) {
                    Actions {
                        Text(weekdayText(h.weekday, lang) + " " + timeText(h.from, lang) + "–" + timeText(h.to, lang))
                        SmallAction(tr("Fjern", "Remove"), "hours-remove:${h.id}") { holder.removeHours(h.id) }
                    }
                }
            }
        }
        Field(ui.name, { v -> holder.edit { it.copy(name = v) } }, tr("Navn på nyt sted", "Name of a new place"), "venue-name")
        Field(ui.address, { v -> holder.edit { it.copy(address = v) } }, tr("Adresse (valgfri)", "Address (optional)"), "venue-address")
        Chips(VenueKind.entries, { it == ui.kind }, { if (it == VenueKind.MUNICIPAL) tr("Kommunalt", "Municipal") else tr("Privat", "Private") }, { k -> holder.edit { it.copy(kind = k) } }, "venue-kind")
        CheckRow(tr("Har et lukket rum", "Has a private room"), ui.privateRoom, { v -> holder.edit { it.copy(privateRoom = v) } }, "venue-private-room")
        SmallAction(tr("Opret stedet", "Add the place"), "venue-add", holder::addVenue)

        Section(tr("Træffetider", "Office hours"))
        Chips(ui.venues, { it.id == ui.hoursVenue }, { it.name }, { v -> holder.edit { it.copy(hoursVenue = v.id) } }, "hours-venue")
        Chips(Weekday.entries, { it == ui.weekday }, { weekdayText(it, lang) }, { w -> holder.edit { it.copy(weekday = w) } }, "hours-weekday")
        Field(ui.from, { v -> holder.edit { it.copy(from = v) } }, tr("Fra", "From"), "hours-from")
        Field(ui.to, { v -> holder.edit { it.copy(to = v) } }, tr("Til", "To"), "hours-to")
        SmallAction(tr("Tilføj træffetid", "Add office hours"), "hours-add", holder::addHours)

        Section(tr("Fravær", "Absence"))
        for (a in ui.absences) {
            Actions {
                Text(dayText(a.from, lang) + " – " + dayText(a.to, lang) + " · " + absenceReasonLabel(a.reason, lang))
                SmallAction(tr("Fjern", "Remove"), "absence-remove:${a.id}") { holder.removeAbsence(a.id) }
            }
        }
        Field(ui.absenceFrom, { v -> holder.edit { it.copy(absenceFrom = v) } }, tr("Fra dato", "From date"), "absence-from")
        Field(ui.absenceTo, { v -> holder.edit { it.copy(absenceTo = v) } }, tr("Til og med dato", "To date, inclusive"), "absence-to")
        Chips(AbsenceReason.entries, { it == ui.absenceReason }, { absenceReasonLabel(it, lang) }, { r -> holder.edit { it.copy(absenceReason = r) } }, "absence-reason")
        Button(onClick = holder::addAbsence, modifier = Modifier.testTag("absence-add")) { Text(tr("Tilføj fravær", "Add absence")) }

        Section(tr("Helligdage", "Public holidays"))
        for (h in ui.holidays) Text(dayText(h.date, lang) + ": " + (if (lang == dk.brobygger.core.Language.EN) h.nameEn else h.nameDa))
    }
}
