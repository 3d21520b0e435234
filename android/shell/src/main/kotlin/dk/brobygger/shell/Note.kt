package dk.brobygger.shell

import androidx.compose.material3.Button
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.semantics.semantics
import dk.brobygger.core.Amendment
import dk.brobygger.core.Citizen
import dk.brobygger.core.FollowUp
import dk.brobygger.core.FollowUpInput
import dk.brobygger.core.HelpGiven
import dk.brobygger.core.Note
import dk.brobygger.core.NoteInput
import dk.brobygger.core.NoteState
import dk.brobygger.core.Topic
import dk.brobygger.core.Vault
import dk.brobygger.core.WorkerRole
import dk.brobygger.core.helpGivenLabel
import dk.brobygger.core.noteStateLabel
import dk.brobygger.core.topicLabel
import dk.brobygger.core.workerRoleLabel
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Job
import kotlinx.coroutines.delay
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import java.time.Instant
import java.time.ZoneId

data class NoteUi(
    val noteId: String? = null,
    val noteState: NoteState = NoteState.DRAFT,
    val citizenId: String? = null,
    val citizens: List<Citizen> = emptyList(),
    val text: String = "",
    val topics: Set<Topic> = emptySet(),
    val help: Set<HelpGiven> = emptySet(),
    val save: Save = Save.NOTHING_YET,
    val savedAt: Instant? = null,
    val followUps: List<FollowUp> = emptyList(),
    val amendments: List<Amendment> = emptyList(),
    val journalReference: String? = null,
    val amendText: String = "",
    val journalInput: String = "",
    val followUpText: String = "",
    val followUpDue: String = "",
    val followUpOwner: WorkerRole = WorkerRole.CASEWORKER,
    val discarded: Boolean = false,
) {
    enum class Save { NOTHING_YET, PENDING, SAVED }
}

/**
 * Fast note capture. It opens on an empty draft at once; the first keystroke creates the draft
 * in the core and every pause of [debounceMillis] saves it (durable when the core returns), so
 * nothing typed is lost to a crash or a lock. Then: finalize (no silent edits after), amend,
 * journalise with the case system's reference, follow-ups with due date and owner role.
 * Saves never overlap ([saving]); [flush] saves what is pending at once (before locking).
 */
class NoteHolder(
    private val vault: Vault,
    dispatcher: CoroutineDispatcher,
    hooks: Hooks,
    noteId: String?,
    citizenId: String?,
    private val debounceMillis: Long = 600,
) : Holder<NoteUi>(NoteUi(noteId = noteId, citizenId = citizenId), dispatcher, hooks) {
    private val saving = Mutex()
    private var pending: Job? = null

    init {
        launch {
            val citizens = vault.listCitizens().citizens
            update { it.copy(citizens = citizens) }
            noteId?.let { show(vault.getNote(it)) }
        }
    }

    private fun show(n: Note) = update {
        it.copy(
            noteId = n.id, noteState = n.state, citizenId = n.citizenId, text = n.text, topics = n.topics.toSet(),
            help = n.helpGiven.toSet(), followUps = n.followUps, amendments = n.amendments,
            journalReference = n.journalReference, save = NoteUi.Save.SAVED, savedAt = n.updatedAt,
        )
    }

    fun onText(text: String) = edit { it.copy(text = text) }
    fun toggleTopic(t: Topic) = edit { it.copy(topics = if (t in it.topics) it.topics - t else it.topics + t) }
    fun toggleHelp(h: HelpGiven) = edit { it.copy(help = if (h in it.help) it.help - h else it.help + h) }
    fun onCitizen(id: String?) = edit { it.copy(citizenId = id) }

    private fun edit(f: (NoteUi) -> NoteUi) {
        if (state.value.noteState != NoteState.DRAFT) return
        update { f(it).copy(save = NoteUi.Save.PENDING) }
        hooks.activity()
        pending?.cancel()
        pending = launch {
            delay(debounceMillis)
            saveNow()
        }
    }

    /** Saves the draft as it stands, if anything is pending. */
    suspend fun saveNow() = saving.withLock {
        val ui = state.value
        if (ui.save != NoteUi.Save.PENDING || ui.noteState != NoteState.DRAFT) return@withLock
        val input = NoteInput(citizenId = ui.citizenId, text = ui.text, topics = ui.topics.toList(), helpGiven = ui.help.toList())
        val saved = ui.noteId?.let { vault.saveDraft(it, input) } ?: vault.createNote(input)
        // Only what was saved is saved: a keystroke meanwhile stays pending.
        update { if (it.text == ui.text && it.topics == ui.topics && it.help == ui.help && it.citizenId == ui.citizenId) it.copy(noteId = saved.id, save = NoteUi.Save.SAVED, savedAt = saved.updatedAt) else it.copy(noteId = saved.id) }
    }

    override suspend fun flush() {
        pending?.cancel()
        saveNow()
    }

    fun finalize() = launch {
        pending?.cancel()
        saveNow()
        val id = state.value.noteId ?: return@launch
        show(vault.finalizeNote(id))
    }

    fun onAmendText(t: String) = update { it.copy(amendText = t) }
    fun amend() = launch {
        val ui = state.value
        show(vault.amendNote(ui.noteId ?: return@launch, ui.amendText))
        update { it.copy(amendText = "") }
    }

    fun onJournalInput(t: String) = update { it.copy(journalInput = t) }
    fun journalise() = launch {
        val ui = state.value
        show(vault.markJournalised(ui.noteId ?: return@launch, ui.journalInput))
        update { it.copy(journalInput = "") }
    }

    fun onFollowUpText(t: String) = update { it.copy(followUpText = t) }
    fun onFollowUpDue(t: String) = update { it.copy(followUpDue = t) }
    fun onFollowUpOwner(r: WorkerRole) = update { it.copy(followUpOwner = r) }

    fun addFollowUp() {
        val ui = state.value
        val due = if (ui.followUpDue.isBlank()) null else parseDate(ui.followUpDue)
            ?: return fail(pick(language, "Skriv fristen som 2026-03-31.", "Write the due date as 2026-03-31."))
        launch {
            pending?.cancel()
            saveNow()
            val id = state.value.noteId ?: vault.createNote(NoteInput(citizenId = ui.citizenId, text = ui.text)).id.also { nid -> update { it.copy(noteId = nid) } }
            vault.addFollowUp(id, FollowUpInput(text = ui.followUpText, dueDate = due, owner = ui.followUpOwner))
            show(vault.getNote(id))
            update { it.copy(followUpText = "", followUpDue = "") }
        }
    }

    fun setFollowUpDone(id: String, done: Boolean) = launch {
        vault.setFollowUpDone(id, done)
        state.value.noteId?.let { show(vault.getNote(it)) }
    }

    fun discard() = launch {
        pending?.cancel()
        state.value.noteId?.let { vault.discardDraft(it) }
        update { NoteUi(discarded = true) }
    }
}

@Composable
fun NoteScreen(holder: NoteHolder, back: () -> Unit) {
    val ui by holder.state.collectAsState()
    val error by holder.error.collectAsState()
    val lang = LocalLanguage.current
    val draft = ui.noteState == NoteState.DRAFT
    Screen(tr("Notat", "Note") + " · " + noteStateLabel(ui.noteState, lang), onBack = back) {
        if (ui.discarded) return@Screen Text(tr("Kladden er slettet.", "The draft was deleted."))
        Text(
            when (ui.save) {
                NoteUi.Save.NOTHING_YET -> tr("Skriv – det gemmes af sig selv.", "Type – it saves by itself.")
                NoteUi.Save.PENDING -> tr("Gemmer …", "Saving …")
                NoteUi.Save.SAVED -> tr("Gemt ", "Saved ") + (ui.savedAt?.let { instantText(it, ZoneId.systemDefault(), lang) } ?: "")
            },
            modifier = Modifier.testTag("note-saved").semantics { liveRegion = LiveRegionMode.Polite },
        )
        if (draft) {
            Field(ui.text, holder::onText, tr("Hvad talte I om?", "What did you talk about?"), "note-text", singleLine = false)
        } else {
            Text(ui.text, modifier = Modifier.testTag("note-final-text"))
        }
        ErrorText(error, holder::dismissError)
        Text(tr("Borger", "Citizen"))
        val citizens = listOf<Citizen?>(null) + ui.citizens
        if (draft) {
            Chips(citizens, { it?.id == ui.citizenId }, { it?.nickname ?: tr("Anonym", "Anonymous") }, { holder.onCitizen(it?.id) }, "note-citizen")
        } else {
            Text(ui.citizens.firstOrNull { it.id == ui.citizenId }?.nickname ?: tr("Anonym", "Anonymous"))
        }
        Text(tr("Emner", "Topics"))
        Chips(Topic.entries, { it in ui.topics }, { topicLabel(it, lang) }, holder::toggleTopic, "note-topics")
        Text(tr("Hjælp givet", "Help given"))
        Chips(HelpGiven.entries, { it in ui.help }, { helpGivenLabel(it, lang) }, holder::toggleHelp, "note-help")

        Section(tr("Opfølgning", "Follow-ups"))
        for (f in ui.followUps) {
            CheckRow(
                f.text + (f.dueDate?.let { " · " + dayText(it, lang) } ?: "") + " · " + workerRoleLabel(f.owner, lang),
                f.done, { holder.setFollowUpDone(f.id, it) }, "follow-up:${f.id}",
            )
        }
        Field(ui.followUpText, holder::onFollowUpText, tr("Ny opgave", "New task"), "follow-up-text")
        Field(ui.followUpDue, holder::onFollowUpDue, tr("Frist (ÅÅÅÅ-MM-DD, valgfri)", "Due (YYYY-MM-DD, optional)"), "follow-up-due")
        Chips(WorkerRole.entries, { it == ui.followUpOwner }, { workerRoleLabel(it, lang) }, holder::onFollowUpOwner, "follow-up-owner")
        SmallAction(tr("Tilføj opgave", "Add task"), "follow-up-add", holder::addFollowUp)

        when (ui.noteState) {
            NoteState.DRAFT -> Actions {
                Button(onClick = holder::finalize, enabled = ui.text.isNotBlank(), modifier = Modifier.testTag("note-finalize")) { Text(tr("Afslut notatet", "Finalize the note")) }
                if (ui.noteId != null) SmallAction(tr("Slet kladden", "Delete the draft"), "note-discard", holder::discard)
            }
            NoteState.FINAL, NoteState.JOURNALISED -> {
                Section(tr("Tilføjelser", "Amendments"))
                for (a in ui.amendments) Text("• " + instantText(a.createdAt, ZoneId.systemDefault(), lang) + ": " + a.text)
                Field(ui.amendText, holder::onAmendText, tr("Tilføj til notatet", "Add to the note"), "note-amend-text", singleLine = false)
                SmallAction(tr("Tilføj", "Add"), "note-amend", holder::amend)
                if (ui.noteState == NoteState.FINAL) {
                    Section(tr("Journalisering", "Journalising"))
                    Field(ui.journalInput, holder::onJournalInput, tr("Journalnummer i fagsystemet", "Reference in the case system"), "note-journal-ref")
                    SmallAction(tr("Markér som journaliseret", "Mark as journalised"), "note-journalise", holder::journalise)
                } else {
                    Text(tr("Journaliseret: ", "Journalised: ") + ui.journalReference.orEmpty(), modifier = Modifier.testTag("note-journal"))
                }
            }
        }
    }
}
