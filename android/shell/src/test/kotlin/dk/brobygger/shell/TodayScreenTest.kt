package dk.brobygger.shell

import androidx.compose.ui.test.assertIsDisplayed
import androidx.compose.ui.test.assertTextEquals
import androidx.compose.ui.test.onAllNodesWithTag
import androidx.compose.ui.test.onNodeWithTag
import dk.brobygger.core.AppointmentKind
import dk.brobygger.core.AppointmentStatus
import dk.brobygger.core.AttentionItem
import dk.brobygger.core.FollowUpInput
import dk.brobygger.core.Language
import dk.brobygger.core.NoteInput
import dk.brobygger.core.SendOutcome
import dk.brobygger.core.SmsSender
import dk.brobygger.core.SmsSenderException
import dk.brobygger.core.WorkerRole
import dk.brobygger.core.attentionCode
import dk.brobygger.core.attentionMessage
import java.time.LocalDate
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test

/** Today: the agenda and what waits for the worker, each with its one-tap answer. */
class TodayScreenTest : ShellTest() {
    private fun busyDay(): dk.brobygger.core.Vault {
        val vault = seeded().vault
        // Yesterday's meeting without an outcome; today's with a reminder whose fate is unknown.
        clock.now = cph("2026-03-30T08:00")
        val yesterday = vault.book("2026-03-31T10:00", AppointmentKind.STATUTORY_MEETING)
        vault.book("2026-04-01T11:00")
        clock.now = cph("2026-03-31T08:30")
        vault.lock()
        vault.runOutbox(object : SmsSender {
            override fun send(reminderId: String, number: String, text: String): SendOutcome = throw SmsSenderException.Unclear("timeout")
        }, null)
        vault.unlock(PIN)
        val note = vault.createNote(NoteInput(citizenId = vault.ole().id, text = "Ole vil gerne søge om boligstøtte."))
        vault.finalizeNote(note.id)
        vault.addFollowUp(note.id, FollowUpInput(text = "Ring til boligkontoret", dueDate = LocalDate.parse("2026-04-01"), owner = WorkerRole.CASEWORKER))
        vault.createNote(NoteInput(text = "Anonym samtale, ikke færdig"))
        assertEquals(AppointmentStatus.PLANNED, vault.getAppointment(yesterday.appointment.id).status)
        vault.lock()
        clock.now = cph("2026-04-01T09:00")
        return vault
    }

    @Test
    fun theAttentionListInTheCoresWordsWithOneTapActions() {
        val vault = busyDay()
        val app = app()
        show(app)
        coreAnswers()
        type("unlock-pin", PIN)
        click("unlock-ok")
        coreAnswers()

        val today = vault.today(LocalDate.parse("2026-04-01"))
        assertEquals(1, today.appointments.size)
        seen("agenda:${today.appointments[0].appointmentId}").assertIsDisplayed()
        val codes = today.attention.map(::attentionCode)
        assertTrue(codes.toString(), codes.containsAll(listOf("reminder_unknown", "outcome_missing", "follow_up_due", "draft_waiting", "not_journalised")))
        for ((i, item) in today.attention.withIndex()) {
            seen("attention:${attentionCode(item)}:$i").assertIsDisplayed()
            assertEquals(1, rule.onAllNodesWithTag("attention:${attentionCode(item)}:$i").fetchSemanticsNodes().size)
        }
        seen("agenda:${today.appointments[0].appointmentId}")
        screenshot("today")

        val missing = today.attention.filterIsInstance<AttentionItem.OutcomeMissing>().single()
        click("attended:${missing.appointmentId}")
        coreAnswers()
        assertEquals(AppointmentStatus.ATTENDED, vault.getAppointment(missing.appointmentId).status)
        val due = today.attention.filterIsInstance<AttentionItem.FollowUpDue>().single()
        click("done:${due.followUpId}")
        coreAnswers()
        val left = vault.today(LocalDate.parse("2026-04-01")).attention.map(::attentionCode)
        assertTrue(left.toString(), "outcome_missing" !in left && "follow_up_due" !in left)

        val unknown = today.attention.filterIsInstance<AttentionItem.ReminderUnknown>().first()
        val text = attentionMessage(unknown, Language.DA)
        click("drop:${unknown.reminderId}")
        coreAnswers()
        assertTrue(vault.today(LocalDate.parse("2026-04-01")).attention.none { it is AttentionItem.ReminderUnknown && it.reminderId == unknown.reminderId })
        assertTrue(text.isNotBlank())
    }

    @Test
    fun usableAt200PercentFontSize() {
        busyDay()
        val app = app(Language.DA)
        show(app, fontScale = 2f)
        coreAnswers()
        type("unlock-pin", PIN)
        click("unlock-ok")
        coreAnswers()
        // Everything can still be reached (the screen scrolls, buttons wrap).
        for (t in listOf("today-new-note", "today-book", "today-next")) seen(t).assertIsDisplayed()
        screenshot("today-font-200")
        click("today-new-note")
        coreAnswers()
        seen("note-text").assertIsDisplayed()
        seen("note-finalize").assertIsDisplayed()
        screenshot("note-font-200")
    }

    @Test
    fun englishWhereTheWorkerReadsEnglish() {
        busyDay()
        val app = app(Language.EN)
        show(app)
        coreAnswers()
        type("unlock-pin", PIN)
        click("unlock-ok")
        coreAnswers()
        val today = folder.open().today(LocalDate.parse("2026-04-01"))
        val item = today.attention[0]
        seen("attention:${attentionCode(item)}:0").assertIsDisplayed()
        rule.onAllNodesWithTag("tab:Citizens").fetchSemanticsNodes().single()
        rule.onNodeWithTag("today-new-note").assertTextEquals("New note")
    }
}
