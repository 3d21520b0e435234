package dk.brobygger.shell

import androidx.compose.material3.Button
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.text.input.KeyboardType
import dk.brobygger.core.ReminderRules
import dk.brobygger.core.Vault
import dk.brobygger.core.WorkerRole
import dk.brobygger.core.workerRoleLabel
import kotlinx.coroutines.CoroutineDispatcher

data class ProfileUi(
    val name: String = "",
    val phone: String = "",
    val role: WorkerRole = WorkerRole.CASEWORKER,
    val saved: String? = null,
    val dayBefore: String = "",
    val hoursBefore: String = "",
    val confirmationWithin: String = "",
    val quietStart: String = "",
    val quietEnd: String = "",
)

/**
 * Who signs the reminders (name and work phone appear in every text; saving rewrites the waiting
 * texts) and the reminder rules: the day-before time, hours before, the short-notice
 * confirmation, quiet hours. An empty field turns that reminder off.
 */
class ProfileState(private val vault: Vault, dispatcher: CoroutineDispatcher, hooks: Hooks) :
    Holder<ProfileUi>(ProfileUi(), dispatcher, hooks) {
    init {
        launch {
            val p = vault.workerProfile()
            val r = vault.reminderRules()
            update {
                it.copy(
                    name = p?.name.orEmpty(), phone = p?.phoneDisplay.orEmpty(), role = p?.role ?: WorkerRole.CASEWORKER,
                    dayBefore = r.dayBeforeAt?.toString().orEmpty(), hoursBefore = r.hoursBeforeMinutes?.toString().orEmpty(),
                    confirmationWithin = r.confirmationWithinMinutes?.toString().orEmpty(),
                    quietStart = r.quietStart.toString(), quietEnd = r.quietEnd.toString(),
                )
            }
        }
    }

    fun edit(f: (ProfileUi) -> ProfileUi) = update { f(it).copy(saved = null) }

    fun saveProfile() {
        val ui = state.value
        launch {
            val saved = vault.setWorkerProfile(ui.name, ui.phone, ui.role)
            hooks.remindersChanged()
            update {
                it.copy(saved = pick(language,
                    "Gemt. ${saved.remindersRewritten} ventende sms'er er skrevet om, ${saved.remindersPlanned} påmindelser er planlagt.",
                    "Saved. ${saved.remindersRewritten} waiting texts rewritten, ${saved.remindersPlanned} reminders planned."))
            }
        }
    }

    fun saveRules() {
        val ui = state.value
        val bad = pick(language, "Tjek tiderne (TT:MM) og minutterne.", "Check the times (HH:MM) and the minutes.")
        val dayBefore = if (ui.dayBefore.isBlank()) null else parseTime(ui.dayBefore) ?: return fail(bad)
        val hours = if (ui.hoursBefore.isBlank()) null else ui.hoursBefore.trim().toUIntOrNull() ?: return fail(bad)
        val confirm = if (ui.confirmationWithin.isBlank()) null else ui.confirmationWithin.trim().toUIntOrNull() ?: return fail(bad)
        val quietStart = parseTime(ui.quietStart) ?: return fail(bad)
        val quietEnd = parseTime(ui.quietEnd) ?: return fail(bad)
        launch {
            vault.setReminderRules(ReminderRules(dayBefore, hours, confirm, quietStart, quietEnd))
            hooks.remindersChanged()
            update { it.copy(saved = pick(language, "Reglerne er gemt.", "The rules are saved.")) }
        }
    }
}

@Composable
fun ProfileScreen(holder: ProfileState, back: () -> Unit) {
    val ui by holder.state.collectAsState()
    val error by holder.error.collectAsState()
    val lang = LocalLanguage.current
    Screen(tr("Dig og dine påmindelser", "You and your reminders"), onBack = back) {
        Text(tr("Dit navn og arbejdsnummer står i hver sms.", "Your name and work number are in every text."))
        Field(ui.name, { v -> holder.edit { it.copy(name = v) } }, tr("Dit navn", "Your name"), "profile-name")
        Field(ui.phone, { v -> holder.edit { it.copy(phone = v) } }, tr("Dit arbejdsnummer", "Your work number"), "profile-phone", keyboard = KeyboardType.Phone)
        Chips(WorkerRole.entries, { it == ui.role }, { workerRoleLabel(it, lang) }, { r -> holder.edit { it.copy(role = r) } }, "profile-role")
        Button(onClick = holder::saveProfile, modifier = Modifier.testTag("profile-save")) { Text(tr("Gem", "Save")) }

        Section(tr("Regler for påmindelser", "Reminder rules"))
        Field(ui.dayBefore, { v -> holder.edit { it.copy(dayBefore = v) } }, tr("Dagen før kl. (tom: ingen)", "Day before at (empty: none)"), "rules-day-before")
        Field(ui.hoursBefore, { v -> holder.edit { it.copy(hoursBefore = v) } }, tr("Minutter før (tom: ingen)", "Minutes before (empty: none)"), "rules-hours-before", keyboard = KeyboardType.Number)
        Field(ui.confirmationWithin, { v -> holder.edit { it.copy(confirmationWithin = v) } }, tr("Bekræftelse ved booking inden for minutter", "Confirmation when booked within minutes"), "rules-confirmation", keyboard = KeyboardType.Number)
        Field(ui.quietStart, { v -> holder.edit { it.copy(quietStart = v) } }, tr("Ingen sms fra kl.", "No texts from"), "rules-quiet-start")
        Field(ui.quietEnd, { v -> holder.edit { it.copy(quietEnd = v) } }, tr("Ingen sms til kl.", "No texts until"), "rules-quiet-end")
        SmallAction(tr("Gem reglerne", "Save the rules"), "rules-save", holder::saveRules)
        ErrorText(error, holder::dismissError)
        ui.saved?.let { Text(it, modifier = Modifier.testTag("profile-saved")) }
    }
}
