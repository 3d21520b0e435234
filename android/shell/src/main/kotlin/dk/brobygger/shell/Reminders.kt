package dk.brobygger.shell

import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import dk.brobygger.core.Reminder
import dk.brobygger.core.ReminderHold
import dk.brobygger.core.ReminderState
import dk.brobygger.core.Resolution
import dk.brobygger.core.TextCheck
import dk.brobygger.core.Vault
import dk.brobygger.core.checkSmsText
import dk.brobygger.core.reminderKindLabel
import dk.brobygger.core.reminderReasonMessage
import dk.brobygger.core.reminderStateLabel
import kotlinx.coroutines.CoroutineDispatcher
import java.time.ZoneId

data class RemindersUi(
    val reminders: List<Reminder> = emptyList(),
    val loaded: Boolean = false,
    /** The reminder whose text is being rewritten, the text, and the core's measure of it. */
    val editing: String? = null,
    val editText: String = "",
    val editCheck: TextCheck? = null,
)

/**
 * The outbox as the worker sees it: every open reminder and those of the last week, with state
 * and reason in the core's words. An unknown or failed one is resent or dropped by the worker
 * (never by the app); a held text is approved or rewritten (measured and linted again).
 */
class RemindersState(private val vault: Vault, dispatcher: CoroutineDispatcher, hooks: Hooks) :
    Holder<RemindersUi>(RemindersUi(), dispatcher, hooks) {
    init {
        load()
    }

    fun load() = launch {
        val list = vault.listReminders(null)
        update { it.copy(reminders = list, loaded = true) }
    }

    fun resolve(id: String, resolution: Resolution) = change { vault.resolveReminder(id, resolution) }
    fun approve(id: String) = change { vault.approveReminderText(id) }

    fun startEdit(r: Reminder) {
        update { it.copy(editing = r.id, editText = r.text.orEmpty(), editCheck = null) }
        onEditText(r.text.orEmpty())
    }

    fun onEditText(t: String) {
        update { it.copy(editText = t) }
        launch {
            val check = checkSmsText(t)
            update { if (it.editText == t) it.copy(editCheck = check) else it }
        }
    }

    fun cancelEdit() = update { it.copy(editing = null, editText = "", editCheck = null) }

    fun saveEdit() {
        val ui = state.value
        val id = ui.editing ?: return
        change {
            vault.editReminderText(id, ui.editText)
            update { it.copy(editing = null, editText = "", editCheck = null) }
        }
    }

    private fun change(call: () -> Unit) = launch {
        call()
        hooks.remindersChanged()
        load()
    }
}

@Composable
fun RemindersScreen(holder: RemindersState, navigate: (Route) -> Unit, back: () -> Unit) {
    val ui by holder.state.collectAsState()
    val error by holder.error.collectAsState()
    val lang = LocalLanguage.current
    Screen(tr("Påmindelser", "Reminders"), onBack = back) {
        ErrorText(error, holder::dismissError)
        if (ui.loaded && ui.reminders.isEmpty()) Text(tr("Ingen påmindelser.", "No reminders."))
        for (r in ui.reminders) {
            ItemCard("reminder:${r.id}") {
                Text(
                    reminderStateLabel(r.state, lang) + " · " + reminderKindLabel(r.kind, lang) + " · " + instantText(r.sendAt, ZoneId.systemDefault(), lang),
                    style = MaterialTheme.typography.titleSmall,
                    modifier = Modifier.testTag("reminder-state:${r.id}"),
                )
                r.reason?.let { Text(reminderReasonMessage(it, lang), modifier = Modifier.testTag("reminder-reason:${r.id}")) }
                if (r.hold != null) {
                    Text(
                        if (r.hold == ReminderHold.TOO_LONG) tr("Teksten er over 3 sms'er og venter på din godkendelse.", "The text is over 3 messages and waits for your approval.")
                        else tr("Venter på din godkendelse: ", "Waits for your approval: ") + r.heldFor.joinToString { "»${it.word}«" },
                    )
                }
                if (ui.editing == r.id) {
                    Field(ui.editText, holder::onEditText, tr("Sms-tekst", "Text"), "reminder-edit-text", singleLine = false,
                        supporting = ui.editCheck?.let { c -> tr("${c.segments} sms", "${c.segments} texts") + (if (c.lint.isNotEmpty()) tr(" · følsomme ord: ", " · sensitive words: ") + c.lint.joinToString { it.word } else "") })
                    Actions {
                        Button(onClick = holder::saveEdit, modifier = Modifier.testTag("reminder-edit-save")) { Text(tr("Gem teksten", "Save the text")) }
                        SmallAction(tr("Fortryd", "Cancel"), "reminder-edit-cancel", holder::cancelEdit)
                    }
                } else {
                    r.text?.let { Text(it) }
                }
                Actions {
                    if (r.state == ReminderState.UNKNOWN || r.state == ReminderState.FAILED) {
                        SmallAction(tr("Send igen", "Send again"), "reminder-resend:${r.id}") { holder.resolve(r.id, Resolution.RESEND) }
                        if (r.state == ReminderState.UNKNOWN) SmallAction(tr("Send ikke", "Do not send"), "reminder-drop:${r.id}") { holder.resolve(r.id, Resolution.DROP) }
                    }
                    if (r.state == ReminderState.PLANNED || r.state == ReminderState.DUE) {
                        if (r.hold != null) SmallAction(tr("Godkend teksten", "Approve the text"), "reminder-approve:${r.id}") { holder.approve(r.id) }
                        if (ui.editing != r.id) SmallAction(tr("Ret teksten", "Edit the text"), "reminder-edit:${r.id}") { holder.startEdit(r) }
                    }
                    SmallAction(tr("Se aftalen", "See the appointment"), "reminder-appointment:${r.id}") { navigate(Route.Appointment(r.appointmentId)) }
                }
            }
        }
    }
}
