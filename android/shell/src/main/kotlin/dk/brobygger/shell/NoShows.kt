package dk.brobygger.shell

import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import dk.brobygger.core.Language
import dk.brobygger.core.NoShowReport
import dk.brobygger.core.RateFigures
import dk.brobygger.core.Vault
import dk.brobygger.core.Venue
import kotlinx.coroutines.CoroutineDispatcher
import java.time.LocalDate

data class NoShowsUi(val from: String, val to: String, val venueId: String? = null, val venues: List<Venue> = emptyList(), val report: NoShowReport? = null)

/** The figure the municipalities report: no-shows, overall, at statutory meetings, and with or without a reminder. */
class NoShowsState(private val vault: Vault, dispatcher: CoroutineDispatcher, hooks: Hooks, today: LocalDate) :
    Holder<NoShowsUi>(NoShowsUi(from = today.withDayOfMonth(1).toString(), to = today.toString()), dispatcher, hooks) {
    init {
        launch { update { it.copy(venues = vault.listVenues()) } }
        load()
    }

    fun edit(f: (NoShowsUi) -> NoShowsUi) = update(f)

    fun load() {
        val ui = state.value
        val from = parseDate(ui.from) ?: return fail(pick(language, "Skriv datoen som 2026-03-01.", "Write the date as 2026-03-01."))
        val to = parseDate(ui.to) ?: return fail(pick(language, "Skriv datoen som 2026-03-31.", "Write the date as 2026-03-31."))
        launch { update { it.copy(report = vault.noShowReport(from, to, ui.venueId)) } }
    }
}

fun rateText(r: RateFigures, language: Language): String {
    val rate = r.rate ?: return pick(language, "ingen endnu", "none yet")
    val pct = String.format(if (language == Language.EN) java.util.Locale.UK else java.util.Locale.forLanguageTag("da-DK"), "%.1f %%", rate * 100)
    return pick(language, "$pct (${r.noShow} af ${r.attended + r.noShow})", "$pct (${r.noShow} of ${r.attended + r.noShow})")
}

@Composable
fun NoShowsScreen(holder: NoShowsState, back: () -> Unit) {
    val ui by holder.state.collectAsState()
    val error by holder.error.collectAsState()
    val lang = LocalLanguage.current
    Screen(tr("Udeblivelser", "No-shows"), onBack = back) {
        Field(ui.from, { v -> holder.edit { it.copy(from = v) } }, tr("Fra", "From"), "noshow-from")
        Field(ui.to, { v -> holder.edit { it.copy(to = v) } }, tr("Til og med", "To, inclusive"), "noshow-to")
        Chips(listOf<Venue?>(null) + ui.venues, { it?.id == ui.venueId }, { it?.name ?: tr("Alle steder", "All places") }, { v -> holder.edit { it.copy(venueId = v?.id) } }, "noshow-venue")
        SmallAction(tr("Vis", "Show"), "noshow-show") { holder.load() }
        ErrorText(error, holder::dismissError)
        val r = ui.report ?: return@Screen
        Text(tr("Udeblivelser i alt: ", "No-shows overall: ") + rateText(r.overall, lang), style = MaterialTheme.typography.titleMedium, modifier = Modifier.testTag("noshow-overall"))
        Text(tr("Lovpligtige møder: ", "Statutory meetings: ") + rateText(r.statutory, lang))
        Text(tr("Med påmindelse: ", "With a reminder: ") + rateText(r.withReminder, lang), modifier = Modifier.testTag("noshow-with"))
        Text(tr("Uden påmindelse: ", "Without a reminder: ") + rateText(r.withoutReminder, lang))
        Text(tr("Booket ${r.booked} · mødt ${r.attended} · udeblevet ${r.noShow} · aflyst ${r.cancelled} · flyttet ${r.rescheduled} · åbne ${r.open}",
            "Booked ${r.booked} · attended ${r.attended} · no-show ${r.noShow} · cancelled ${r.cancelled} · moved ${r.rescheduled} · open ${r.open}"))
    }
}
