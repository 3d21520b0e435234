package dk.brobygger.shell

import androidx.compose.ui.test.assertIsDisplayed
import androidx.compose.ui.test.assertTextEquals
import dk.brobygger.core.Language
import dk.brobygger.core.NewAppointment
import dk.brobygger.core.AppointmentKind
import dk.brobygger.core.bookingWarningCode
import dk.brobygger.core.warningMessage
import java.time.LocalDate
import java.time.LocalDateTime
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test

/** Booking shows the core's warnings and the reminders' texts before anything is saved. */
class BookingScreenTest : ShellTest() {
    @Test
    fun warningsAndReminderTextsBeforeSaving() {
        val vault = seeded().vault
        val ole = vault.ole()
        val app = app()
        show(app)
        coreAnswers()
        type("unlock-pin", PIN)
        click("unlock-ok")
        coreAnswers()
        app.navigate(Route.Booking(citizenId = ole.id))
        coreAnswers()

        // Easter Monday 2026, 15:00: a holiday, and outside Tuesday's office hours.
        type("booking-date", "2026-04-06")
        type("booking-time", "15:00")
        coreAnswers()
        val expected = vault.previewBooking(
            NewAppointment(citizenId = ole.id, venueId = vault.venue().id, localStart = LocalDateTime.parse("2026-04-06T15:00"), durationMinutes = 60u, kind = AppointmentKind.CONVERSATION),
        )
        assertEquals(listOf("outside_office_hours", "holiday"), expected.warnings.map(::bookingWarningCode))
        expected.warnings.forEachIndexed { i, w -> tag("booking-warning:$i").assertTextEquals("⚠ " + warningMessage(w, Language.DA)) }
        assertEquals(2, expected.reminders.size)
        expected.reminders.forEachIndexed { i, r -> tag("booking-reminder-text:$i").assertTextEquals(r.reminder.text!!) }
        assertTrue("a preview keeps nothing", vault.agendaDay(LocalDate.parse("2026-04-06")).isEmpty())
        seen("booking-reminder-text:1")
        screenshot("booking-preview")

        val before = rearms.get()
        click("booking-save")
        coreAnswers()
        val booked = vault.agendaDay(LocalDate.parse("2026-04-06")).single()
        assertEquals(LocalDateTime.parse("2026-04-06T15:00"), booked.localStart)
        assertEquals("the outbox alarm is re-armed", before + 1, rearms.get())
        assertEquals(Route.Appointment(booked.id), (app.screen.value as AppScreen.Open).route)
        seen("appointment-status").assertIsDisplayed()
    }
}
