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
import dk.brobygger.core.BrobyggerException
import dk.brobygger.core.Citizen
import dk.brobygger.core.CitizenEdit
import dk.brobygger.core.CitizenOverview
import dk.brobygger.core.ConsentMethod
import dk.brobygger.core.NewCitizen
import dk.brobygger.core.PhoneKind
import dk.brobygger.core.SmsLanguage
import dk.brobygger.core.Vault
import dk.brobygger.core.consentMethodLabel
import dk.brobygger.core.noRemindersMessage
import dk.brobygger.core.noteStateLabel
import kotlinx.coroutines.CoroutineDispatcher
import java.time.LocalDate
import java.time.ZoneId

// ---- The list, with search ----

data class CitizensUi(
    val all: List<Citizen> = emptyList(),
    val unreadable: UInt = 0u,
    val query: String = "",
    /** Citizens with the number typed in the search, when it looks like one. */
    val byPhone: List<Citizen> = emptyList(),
    val loaded: Boolean = false,
) {
    val shown: List<Citizen>
        get() {
            val q = query.trim()
            if (q.isEmpty()) return all
            val byName = all.filter { it.nickname.contains(q, ignoreCase = true) }
            return byName + byPhone.filter { p -> byName.none { it.id == p.id } }
        }
}

/** The worker's citizens in Danish name order; search by name, or by phone number through the core's blind index. */
class CitizensState(private val vault: Vault, dispatcher: CoroutineDispatcher, hooks: Hooks) :
    Holder<CitizensUi>(CitizensUi(), dispatcher, hooks) {
    init {
        launch {
            val list = vault.listCitizens()
            update { it.copy(all = list.citizens, unreadable = list.unreadable, loaded = true) }
        }
    }

    fun onQuery(q: String) {
        update { it.copy(query = q, byPhone = emptyList()) }
        if (q.count(Char::isDigit) < 8) return
        launch {
            val found = try {
                vault.findCitizensByPhone(q)
            } catch (e: BrobyggerException.InvalidInput) {
                emptyList() // not a number after all: the name search stands
            }
            update { if (it.query == q) it.copy(byPhone = found) else it }
        }
    }
}

@Composable
fun CitizensScreen(holder: CitizensState, navigate: (Route) -> Unit) {
    val ui by holder.state.collectAsState()
    val error by holder.error.collectAsState()
    Screen(tr("Borgere", "Citizens")) {
        Field(ui.query, holder::onQuery, tr("Søg på navn eller nummer", "Search by name or number"), "citizens-search")
        Button(onClick = { navigate(Route.CitizenEdit()) }, modifier = Modifier.testTag("citizens-add")) { Text(tr("Ny borger", "New citizen")) }
        ErrorText(error, holder::dismissError)
        if (ui.unreadable > 0u) Text(tr("${ui.unreadable} borgere kunne ikke åbnes.", "${ui.unreadable} citizens could not be opened."))
        if (ui.loaded && ui.shown.isEmpty()) Text(tr("Ingen borgere fundet.", "No citizens found."))
        for (c in ui.shown) {
            ItemCard("citizen:${c.id}") {
                Text(c.nickname, style = MaterialTheme.typography.titleMedium)
                c.phoneDisplay?.let { Text(it) }
                SmallAction(tr("Åbn ${c.nickname}", "Open ${c.nickname}"), "citizen-open:${c.id}") { navigate(Route.Citizen(c.id)) }
            }
        }
    }
}

// ---- One citizen ----

data class CitizenOverviewUi(val overview: CitizenOverview? = null, val confirmDelete: Boolean = false, val deleted: Boolean = false, val exportNotice: String? = null)

/** One citizen: details, whether reminders can go out and why not, next appointments, latest notes, open follow-ups; consent. */
class CitizenOverviewState(
    private val vault: Vault,
    dispatcher: CoroutineDispatcher,
    hooks: Hooks,
    private val citizenId: String,
    private val onDeleted: () -> Unit = {},
    private val device: Device = object : Device {},
    private val today: LocalDate = LocalDate.now(),
) : Holder<CitizenOverviewUi>(CitizenOverviewUi(), dispatcher, hooks) {
    init {
        load()
    }

    fun load() = launch {
        val o = vault.citizenOverview(citizenId)
        update { it.copy(overview = o) }
    }

    fun giveConsent(method: ConsentMethod) = launch {
        vault.giveSmsConsent(citizenId, method)
        hooks.remindersChanged()
        load()
    }

    fun withdrawConsent() = launch {
        vault.withdrawSmsConsent(citizenId)
        hooks.remindersChanged()
        load()
    }

    /**
     * Everything recorded about the citizen (access request), as the core's HTML, handed to the
     * file picker from memory under a name with the date only; the app keeps no copy.
     */
    fun export() {
        update { it.copy(exportNotice = null) }
        launch {
            val html = vault.exportCitizen(citizenId, language)
            device.saveBytes(SharedFile(exportFileName(today), "text/html", html.toByteArray(Charsets.UTF_8))) { saved ->
                update { it.copy(exportNotice = savedText(saved, language)) }
            }
        }
    }

    fun askDelete(ask: Boolean) = update { it.copy(confirmDelete = ask) }

    fun delete() = launch {
        vault.deleteCitizen(citizenId)
        hooks.remindersChanged()
        update { it.copy(deleted = true) }
        onDeleted()
    }
}

@Composable
fun CitizenOverviewScreen(holder: CitizenOverviewState, navigate: (Route) -> Unit, back: () -> Unit) {
    val ui by holder.state.collectAsState()
    val error by holder.error.collectAsState()
    val lang = LocalLanguage.current
    val o = ui.overview
    Screen(o?.citizen?.nickname ?: tr("Borger", "Citizen"), onBack = back) {
        ErrorText(error, holder::dismissError)
        if (o == null) return@Screen Text(tr("Henter …", "Loading …"))
        val c = o.citizen
        Text(
            (c.phoneDisplay ?: tr("Intet telefonnummer", "No phone number")) +
                (if (c.phone?.kind == PhoneKind.FIXED) tr(" (fastnet)", " (landline)") else ""),
            modifier = Modifier.testTag("citizen-phone"),
        )
        c.caseReference?.let { Text(tr("Sagsnummer: $it", "Case reference: $it")) }
        Text(tr("Sms på ", "Texts in ") + if (c.language == SmsLanguage.EN) tr("engelsk", "English") else tr("dansk", "Danish"))
        val consent = c.smsConsent
        Text(
            if (consent != null) tr("Samtykke til sms: ", "Consent to texts: ") + consentMethodLabel(consent.method, lang) + ", " +
                instantText(consent.givenAt, ZoneId.systemDefault(), lang)
            else tr("Intet samtykke til sms.", "No consent to texts."),
            modifier = Modifier.testTag("citizen-consent"),
        )
        o.remindersBlocked?.let { Text(noRemindersMessage(it, lang), modifier = Modifier.testTag("citizen-reminders-blocked")) }
        Actions {
            Button(onClick = { navigate(Route.Note(citizenId = c.id)) }, modifier = Modifier.testTag("citizen-note")) { Text(tr("Nyt notat", "New note")) }
            SmallAction(tr("Ny aftale", "New appointment"), "citizen-book") { navigate(Route.Booking(citizenId = c.id)) }
            SmallAction(tr("Ret oplysninger", "Edit details"), "citizen-edit") { navigate(Route.CitizenEdit(c.id)) }
        }
        Section(tr("Samtykke til sms", "Consent to texts"))
        if (consent == null) {
            Actions {
                for (m in ConsentMethod.entries) {
                    SmallAction(tr("Givet: ", "Given: ") + consentMethodLabel(m, lang), "consent:${m.name}") { holder.giveConsent(m) }
                }
            }
        } else {
            SmallAction(tr("Træk samtykket tilbage", "Withdraw consent"), "consent-withdraw", holder::withdrawConsent)
        }

        Section(tr("Kommende aftaler", "Coming appointments"))
        if (o.nextAppointments.isEmpty()) Text(tr("Ingen.", "None."))
        for (a in o.nextAppointments) AgendaRow(a) { navigate(Route.Appointment(a.appointmentId)) }
        if (o.awaitingOutcome > 0u) Text(tr("${o.awaitingOutcome} aftaler mangler udfald.", "${o.awaitingOutcome} appointments lack an outcome."))

        Section(tr("Seneste notater", "Latest notes"))
        for (n in o.latestNotes.items) {
            ItemCard("note:${n.id}") {
                Text(instantText(n.occurredAt, ZoneId.systemDefault(), lang) + " · " + noteStateLabel(n.state, lang))
                Text(n.snippet)
                SmallAction(tr("Åbn notatet", "Open the note"), "note-open:${n.id}") { navigate(Route.Note(noteId = n.id)) }
            }
        }
        Section(tr("Opfølgning", "Follow-ups"))
        for (f in o.openFollowUps) Text("• ${f.text}" + (f.dueDate?.let { " (" + dayText(it, lang) + ")" } ?: ""))
        if (o.openFollowUpsTotal > o.openFollowUps.size.toUInt()) Text(tr("… i alt ${o.openFollowUpsTotal}", "… ${o.openFollowUpsTotal} in all"))

        Section(tr("Indsigt", "Access request"))
        Text(tr("Alt, hvad der er skrevet om borgeren, som én fil, borgeren kan få udleveret.",
            "Everything recorded about the citizen as one file the citizen can be given."))
        SmallAction(tr("Eksportér indsigt …", "Export access request …"), "citizen-export", holder::export)
        ui.exportNotice?.let { Text(it, modifier = Modifier.testTag("citizen-export-notice")) }

        Section(tr("Slet borgeren", "Delete the citizen"))
        if (!ui.confirmDelete) {
            SmallAction(tr("Slet ${c.nickname} og alle notater", "Delete ${c.nickname} and every note"), "citizen-delete") { holder.askDelete(true) }
        } else {
            Text(tr("Alt om ${c.nickname} slettes, så det ikke kan gendannes. Aftaler tælles kun anonymt med.",
                "Everything about ${c.nickname} is deleted beyond recovery. Appointments only count anonymously."))
            Actions {
                Button(onClick = holder::delete, modifier = Modifier.testTag("citizen-delete-confirm")) { Text(tr("Slet for altid", "Delete for good")) }
                SmallAction(tr("Fortryd", "Cancel"), "citizen-delete-cancel") { holder.askDelete(false) }
            }
        }
    }
}

// ---- Add or edit ----

data class CitizenEditUi(
    val nickname: String = "",
    val phone: String = "",
    val language: SmsLanguage = SmsLanguage.DA,
    val caseReference: String = "",
    /** For a new citizen: consent given now, and how. */
    val consent: ConsentMethod? = null,
    /** The phone check's answer: who else has the number, or that nobody does. */
    val phoneCheck: String? = null,
    val busy: Boolean = false,
)

/**
 * A new citizen, or a citizen's details. The core validates and normalises (nickname, phone in
 * E.164, case reference) and words any refusal; [checkPhone] asks it who else has the number.
 */
class CitizenEditState(
    private val vault: Vault,
    dispatcher: CoroutineDispatcher,
    hooks: Hooks,
    private val citizenId: String?,
    private val onSaved: (Citizen) -> Unit,
) : Holder<CitizenEditUi>(CitizenEditUi(), dispatcher, hooks) {
    init {
        if (citizenId != null) launch {
            val c = vault.getCitizen(citizenId)
            update { CitizenEditUi(c.nickname, c.phoneDisplay.orEmpty(), c.language, c.caseReference.orEmpty()) }
        }
    }

    fun onNickname(v: String) = update { it.copy(nickname = v) }
    fun onPhone(v: String) = update { it.copy(phone = v, phoneCheck = null) }
    fun onLanguage(v: SmsLanguage) = update { it.copy(language = v) }
    fun onCaseReference(v: String) = update { it.copy(caseReference = v) }
    fun onConsent(v: ConsentMethod?) = update { it.copy(consent = v) }

    fun checkPhone() {
        val phone = state.value.phone
        if (phone.isBlank()) return
        launch {
            val others = vault.findCitizensByPhone(phone).filter { it.id != citizenId }
            val text = if (others.isEmpty()) pick(language, "Ingen andre borgere har dette nummer.", "No other citizen has this number.")
            else pick(language, "Nummeret er også registreret hos: ", "The number is also registered for: ") + others.joinToString { it.nickname }
            update { if (it.phone == phone) it.copy(phoneCheck = text) else it }
        }
    }

    fun save() {
        val ui = state.value
        update { it.copy(busy = true) }
        launch {
            try {
                val phone = ui.phone.ifBlank { null }
                val caseRef = ui.caseReference.ifBlank { null }
                val saved = if (citizenId == null) {
                    vault.addCitizen(NewCitizen(nickname = ui.nickname, phone = phone, smsConsent = ui.consent, language = ui.language, caseReference = caseRef))
                } else {
                    vault.editCitizen(citizenId, CitizenEdit(nickname = ui.nickname, phone = phone, language = ui.language, caseReference = caseRef))
                }
                hooks.remindersChanged()
                onSaved(saved)
            } finally {
                update { it.copy(busy = false) }
            }
        }
    }
}

@Composable
fun CitizenEditScreen(holder: CitizenEditState, isNew: Boolean, back: () -> Unit) {
    val ui by holder.state.collectAsState()
    val error by holder.error.collectAsState()
    val lang = LocalLanguage.current
    Screen(if (isNew) tr("Ny borger", "New citizen") else tr("Ret borger", "Edit citizen"), onBack = back) {
        Field(ui.nickname, holder::onNickname, tr("Kaldenavn eller fornavn", "Nickname or first name"), "citizen-nickname")
        Field(ui.phone, holder::onPhone, tr("Mobilnummer (valgfrit)", "Mobile number (optional)"), "citizen-phone-input", keyboard = KeyboardType.Phone, supporting = ui.phoneCheck)
        SmallAction(tr("Tjek nummeret", "Check the number"), "citizen-phone-check", holder::checkPhone)
        Text(tr("Sprog i sms", "Language of texts"))
        Chips(SmsLanguage.entries, { it == ui.language }, { if (it == SmsLanguage.EN) tr("Engelsk", "English") else tr("Dansk", "Danish") }, holder::onLanguage, "citizen-language")
        Field(ui.caseReference, holder::onCaseReference, tr("Sagsnummer (valgfrit)", "Case reference (optional)"), "citizen-case")
        if (isNew) {
            Text(tr("Samtykke til sms-påmindelser", "Consent to text reminders"))
            Chips(listOf<ConsentMethod?>(null) + ConsentMethod.entries, { it == ui.consent },
                { m -> m?.let { consentMethodLabel(it, lang) } ?: tr("Intet samtykke", "No consent") }, holder::onConsent, "citizen-consent-method")
        }
        ErrorText(error, holder::dismissError)
        Button(onClick = holder::save, enabled = !ui.busy, modifier = Modifier.testTag("citizen-save")) { Text(tr("Gem", "Save")) }
    }
}
