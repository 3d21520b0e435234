package dk.brobygger.shell

import androidx.compose.ui.test.assertTextEquals
import dk.brobygger.core.Language
import dk.brobygger.core.ReminderState
import dk.brobygger.core.SendOutcome
import dk.brobygger.core.SmsSender
import dk.brobygger.core.SmsSenderException
import dk.brobygger.core.reminderReasonMessage
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test

/** A reminder whose fate is unknown (the phone gave no answer) is the worker's to resend or drop. */
class RemindersScreenTest : ShellTest() {
    private val silent = object : SmsSender {
        override fun send(reminderId: String, number: String, text: String): SendOutcome = throw SmsSenderException.Unclear("timeout")
    }

    @Test
    fun resolvingAnUnknownReminder() {
        val vault = seeded().vault
        val booking = vault.book("2026-03-31T10:00")
        val dayBefore = booking.reminders[0].reminder
        clock.now = dayBefore.sendAt
        vault.lock()
        assertEquals(1u, vault.runOutbox(silent, null).unknown)

        val app = app()
        show(app)
        coreAnswers()
        type("unlock-pin", PIN)
        click("unlock-ok")
        coreAnswers()
        click("tab:Sms")
        coreAnswers()
        tag("reminder-reason:${dayBefore.id}").assertTextEquals(reminderReasonMessage("sender_error: timeout", Language.DA))
        screenshot("reminders-unknown")

        val before = rearms.get()
        click("reminder-resend:${dayBefore.id}")
        coreAnswers()
        val after = vault.listReminders(booking.appointment.id).first { it.id == dayBefore.id }
        assertTrue("back in the outbox, to go at the next run: ${after.state}", after.state == ReminderState.PLANNED || after.state == ReminderState.DUE)
        assertEquals(before + 1, rearms.get())

        // And the other way: dropped by the worker, it stays unsent, with the reason shown.
        clock.now = booking.reminders[1].reminder.sendAt
        vault.lock()
        vault.runOutbox(silent, null)
        vault.unlock(PIN)
        app.navigate(Route.Reminders)
        coreAnswers()
        val second = booking.reminders[1].reminder.id
        click("reminder-drop:$second")
        coreAnswers()
        val dropped = vault.listReminders(booking.appointment.id).first { it.id == second }
        tag("reminder-reason:$second").assertTextEquals(reminderReasonMessage(dropped.reason!!, Language.DA))
    }
}
