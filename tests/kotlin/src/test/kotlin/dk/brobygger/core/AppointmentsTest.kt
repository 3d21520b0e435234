package dk.brobygger.core

import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption
import java.time.Instant
import java.time.LocalDate
import java.time.LocalTime
import java.time.LocalDateTime
import java.time.ZoneId
import kotlin.test.assertEquals
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** An SmsSender as the Android shell writes one, recording what it was handed. */
class RecordingSender(var answer: (String) -> SendOutcome = { SendOutcome.Accepted }) : SmsSender {
    val handed = mutableListOf<Triple<String, String, String>>()
    override fun send(reminderId: String, number: String, text: String): SendOutcome {
        handed += Triple(reminderId, number, text)
        return answer(reminderId)
    }
}

private val CPH: ZoneId = ZoneId.of("Europe/Copenhagen")
private fun cph(local: String): Instant = LocalDateTime.parse(local).atZone(CPH).toInstant()

class AppointmentsTest {
    private val clock = TestClock(cph("2026-03-20T12:00"))
    private val keyStore = JvmKeyStore()
    private val dir = tempVaultDir()
    private var vault = createVault(dir.toString(), PIN, keyStore, clock).vault
    private val venue: Venue
    private val ole: Citizen

    init {
        vault.setWorkerProfile("Mette", "61 22 33 44", WorkerRole.CASEWORKER)
        venue = vault.addVenue(NewVenue(name = "Borgercaféen", kind = VenueKind.MUNICIPAL, hasPrivateRoom = true))
        vault.addOfficeHours(venue.id, Weekday.TUE, LocalTime.of(10, 0), LocalTime.of(14, 0), null, null)
        ole = vault.addCitizen(NewCitizen(nickname = "Ole", phone = "20 30 40 50", smsConsent = ConsentMethod.VERBAL, language = SmsLanguage.DA))
    }

    private fun at(local: String) {
        clock.now = cph(local)
        if (!vault.isUnlocked()) vault.unlock(PIN)
    }

    private fun book(local: String, citizen: Citizen = ole) =
        vault.bookAppointment(NewAppointment(citizenId = citizen.id, venueId = venue.id, localStart = LocalDateTime.parse(local), durationMinutes = 45u, kind = AppointmentKind.STATUTORY_MEETING))

    @Test
    fun `booking plans Danish reminders and warns with stable codes`() {
        val b = book("2026-03-31T10:00")
        assertTrue(b.warnings.isEmpty())
        assertEquals(listOf(ReminderKind.DAY_BEFORE, ReminderKind.HOURS_BEFORE), b.reminders.map { it.reminder.kind })
        assertEquals(cph("2026-03-30T17:00"), b.reminders[0].reminder.sendAt)
        assertEquals(LocalDateTime.parse("2026-03-30T17:00"), b.reminders[0].localSendAt)
        assertEquals(
            "Hej Ole. Husk vores aftale tirsdag den 31. marts kl. 10.00, Borgercaféen. Venlig hilsen Mette, tlf. 61 22 33 44",
            b.reminders[0].reminder.text,
        )
        val holiday = book("2026-04-06T15:00")
        assertEquals(listOf("outside_office_hours", "holiday"), holiday.warnings.map { bookingWarningCode(it) })
        val bo = vault.addCitizen(NewCitizen(nickname = "Bo", language = SmsLanguage.DA))
        val none = book("2026-04-14T10:00", bo)
        assertTrue(none.reminders.isEmpty())
        assertEquals("no_sms_consent", noReminderReasonCode(none.noReminders!!))
                assertEquals(listOf(LocalDateTime.parse("2026-03-31T10:00")), vault.agendaWeek(LocalDate.parse("2026-03-31")).map { it.localStart })
        assertEquals(listOf(LocalDateTime.parse("2026-04-06T15:00")), vault.agendaDay(LocalDate.parse("2026-04-06")).map { it.localStart })
        assertEquals(1, vault.agendaWeek(LocalDate.parse("2026-04-13")).size)
    }

    @Test
    fun `the outbox sends through a Kotlin sender exactly once`() {
        val b = book("2026-03-31T10:00")
        val sender = RecordingSender()
        at("2026-03-30T17:01")
        vault.lock() // reminders go out with the vault locked
        assertEquals(1u, vault.runOutbox(sender, null).sent)
        assertEquals(0u, vault.runOutbox(sender, null).handedOver)
        assertEquals("+4520304050", sender.handed.single().second)
        assertEquals(ReminderState.DELIVERED, vault.recordDelivery(b.reminders[0].reminder.id, true).state)
        at("2026-03-31T08:00")
        sender.answer = { SendOutcome.NeedsUser }
        assertEquals(1u, vault.runOutbox(sender, null).needsUser)
        assertEquals(ReminderState.SENT, vault.recordSendResult(b.reminders[1].reminder.id, true).state)
        at("2026-03-31T11:00")
        vault.setOutcome(b.appointment.id, Outcome.ATTENDED)
        val report = vault.noShowReport(LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-31"), venue.id)
        assertEquals(1u, report.withReminder.attended)
        assertEquals(0.0, report.overall.rate)
    }

    @Test
    fun `a vault dropped between claim and outcome reopens with the reminder unknown, never resent`() {
        val b = book("2026-03-31T10:00")
        at("2026-03-30T17:01")
        val crashed = Files.createTempDirectory("brobygger-crash").resolve("vault")
        Files.createDirectories(crashed)
        // The platform is sending when the process dies: the files as they are on disk right
        // now are what the next start finds.
        val sender = RecordingSender { _ ->
            for (name in listOf("vault.db", "vault.db-wal")) {
                val f = dir.resolve(name)
                if (Files.exists(f)) Files.copy(f, crashed.resolve(name), StandardCopyOption.REPLACE_EXISTING)
            }
            SendOutcome.Accepted
        }
        vault.runOutbox(sender, null)
        vault.destroy()
        vault = Vault.open(crashed.toString(), keyStore, clock)
        vault.unlock(PIN)
        val r = vault.listReminders(b.appointment.id)[0]
        assertEquals(ReminderState.UNKNOWN, r.state)
        assertEquals("no_outcome_before_restart", r.reason)
        val after = RecordingSender()
        assertEquals(0u, vault.runOutbox(after, null).handedOver)
        vault.resolveReminder(r.id, Resolution.RESEND)
        assertEquals(1u, vault.runOutbox(after, null).sent)
        assertEquals(1, after.handed.size)
    }

    @Test
    fun `a sender that throws leaves the outcome unknown`() {
        book("2026-03-31T10:00")
        book("2026-03-31T12:00")
        at("2026-03-30T17:01")
        var calls = 0
        val run = vault.runOutbox(RecordingSender {
            calls++
            if (calls == 1) throw SmsSenderException.Unclear("binder died") else throw IllegalStateException("bug in the shell")
        }, null)
        assertEquals(2u, run.handedOver)
        assertEquals(2u, run.unknown)
        val reasons = vault.listReminders(null).filter { it.state == ReminderState.UNKNOWN }.map { it.reason!! }
        assertEquals(2, reasons.size)
        assertTrue(reasons.all { it.startsWith("sender_error") }, reasons.toString())
        assertEquals(0u, vault.runOutbox(RecordingSender(), null).handedOver)
    }

    @Test
    fun `SMS checks, holidays, and consent withdrawal cancels pending reminders`() {
        val check = checkSmsText("“Husk” mødet på jobcentret – kl. 10")
        assertEquals(SmsEncoding.GSM7, check.encoding)
        assertEquals("\"Husk\" mødet på jobcentret - kl. 10", check.normalized)
        assertEquals(listOf("job_centre"), check.lint.map { it.category })
        assertTrue(!check.acceptable)
        assertEquals(SmsEncoding.UCS2, checkSmsText("Hej 😀").encoding)
        val easter = danishHolidays(2026).filter { it.official }.map { it.date }
        assertTrue(LocalDate.parse("2026-04-05") in easter && LocalDate.parse("2026-05-14") in easter)
        assertTrue(danishHolidays(2024).none { it.nameDa == "Store bededag" })

        val b = book("2026-03-31T10:00")
        vault.withdrawSmsConsent(ole.id)
        val r = vault.listReminders(b.appointment.id)
        assertTrue(r.all { it.state == ReminderState.CANCELLED && it.reason == "consent_withdrawn" })
        assertThrows<BrobyggerException.InvalidInput> {
            vault.setSmsTemplate(SmsLanguage.DA, TemplateKind.REMINDER, "Hej {navn}")
        }.also { assertEquals("template", it.field) }
        assertNull(vault.listReminders(null).firstOrNull { it.state == ReminderState.PLANNED })
    }
}
