package dk.brobygger.core

import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.time.Instant
import java.time.LocalDate
import java.time.LocalDateTime
import java.time.LocalTime
import java.time.ZoneId
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertTrue

private val CPH: ZoneId = ZoneId.of("Europe/Copenhagen")
private fun cph(local: String): Instant = LocalDateTime.parse(local).atZone(CPH).toInstant()

/** The evaluation figures, their exports and survey mode, as a phone calls them. */
class ReportAndSurveyTest {
    private val clock = TestClock(cph("2026-03-02T09:00"))
    private val vault = createVault(tempVaultDir().toString(), PIN, JvmKeyStore(), clock).vault
    private val venue: Venue
    private val markers = listOf("Ole Hansen", "20 30 40 50", "+4520304050", "Karin", "gældsrådgivning hos Karin")

    init {
        vault.setWorkerProfile("Mette", "61 22 33 44", WorkerRole.CASEWORKER)
        venue = vault.addVenue(NewVenue(name = "Borgercaféen", kind = VenueKind.MUNICIPAL, hasPrivateRoom = true))
        vault.addOfficeHours(venue.id, Weekday.MON, LocalTime.of(9, 0), LocalTime.of(16, 0), null, null)
        vault.addOfficeHours(venue.id, Weekday.TUE, LocalTime.of(9, 0), LocalTime.of(16, 0), null, null)
        val ole = vault.addCitizen(NewCitizen(nickname = "Ole Hansen", phone = "20 30 40 50", smsConsent = ConsentMethod.VERBAL, language = SmsLanguage.DA))
        // Eight statutory meetings on Mondays and Tuesdays in March: six attended, two no-shows.
        val days = listOf("03-02", "03-03", "03-09", "03-10", "03-16", "03-17", "03-23", "03-24")
        days.forEachIndexed { i, day ->
            val b = vault.bookAppointment(NewAppointment(citizenId = ole.id, venueId = venue.id, localStart = LocalDateTime.parse("2026-${day}T10:00"), durationMinutes = 45u, kind = AppointmentKind.STATUTORY_MEETING))
            at("2026-${day}T11:00")
            vault.setOutcome(b.appointment.id, if (i < 6) Outcome.ATTENDED else Outcome.NO_SHOW)
        }
        vault.createNote(NoteInput(citizenId = ole.id, text = "Talte om gældsrådgivning hos Karin", topics = listOf(Topic.FINANCES_HOUSING)))
    }

    /** Moves the clock; the vault locks itself after idle minutes, so unlock again. */
    private fun at(local: String) {
        clock.now = cph(local)
        if (!vault.isUnlocked()) vault.unlock(PIN)
    }

    private fun cell(report: EvaluationReport, table: String, row: String, column: String): ReportCell {
        val t = report.tables.single { it.code == table }
        return t.rows.single { it.code == row }.cells[t.columns.indexOfFirst { it.code == column }]
    }

    @Test
    fun `figures come typed, small counts suppressed, in the language asked`() {
        val from = LocalDate.of(2026, 3, 1)
        val to = LocalDate.of(2026, 3, 31)
        val da = vault.evaluationReport(from, to, null, Language.DA)
        val en = vault.evaluationReport(from, to, null, Language.EN)
        val atVenue = vault.evaluationReport(from, to, venue.id, Language.EN)
        assertFalse(da.empty)
        assertEquals(from, da.from)
        assertEquals(venue.id, atVenue.venueId)
        assertEquals("Borgercaféen", atVenue.venue)
        assertTrue(da.title != en.title, "titles in two languages")

        val tableCodes = da.tables.map { it.code }
        assertEquals(tableCodes, en.tables.map { it.code }, "the same tables in both languages")
        // Notes carry no venue, so a venue's report has no note figures (topics, help, follow-ups).
        assertTrue("topics" in tableCodes && "topics" !in atVenue.tables.map { it.code })
        // Every count between 1 and 4 is shown as "<5" and flagged; none is shown as a number.
        for (t in da.tables) for (r in t.rows) for (c in r.cells) {
            if (c.kind == ReportCellKind.COUNT && !c.suppressed) {
                val v = c.value ?: continue
                assertFalse(v in 1.0..4.0, "${t.code}/${r.code}: a small count shown")
            }
        }
        // Eight statutory meetings with an outcome; the two no-shows are too few to show.
        assertEquals(8.0, cell(da, "no_shows", "statutory_meeting", "appointments_with_outcome").value)
        val noShows = cell(da, "no_shows", "statutory_meeting", "no_shows")
        assertTrue(noShows.suppressed)
        assertEquals("<5", noShows.text)
        assertTrue(cell(da, "no_shows", "statutory_meeting", "rate").suppressed, "a rate would give the count away")
        // One month in the trend, at the no-show rate the core figures from 8 outcomes.
        assertEquals(1, da.trend.count { it.year == 2026 && it.month == 3u })
        assertTrue(da.topics.isNotEmpty())
        assertTrue(listOf(da.topicsChart, da.trendChart, da.surveyChart).all { it.isNotBlank() })
        assertTrue(da.topicsChart != en.topicsChart)
        val labels = reportLabels(Language.DA)
        assertEquals(da.venue, labels.allVenues, "an all-venues report is named as the picker names it")
        assertTrue(tableCodes.isNotEmpty())
    }

    @Test
    fun `exports carry nothing personal`() {
        val from = LocalDate.of(2026, 1, 1)
        val to = LocalDate.of(2026, 12, 31)
        for (lang in listOf(Language.DA, Language.EN)) {
            val files = vault.evaluationCsv(from, to, null, lang)
            assertTrue(files.isNotEmpty())
            val html = vault.evaluationHtml(from, to, null, lang)
            assertTrue(html.startsWith("<!DOCTYPE html>", ignoreCase = true))
            for (text in files.map { it.name + "\n" + it.content } + html) {
                for (m in markers) assertFalse(text.contains(m), "an export holds \"$m\"")
            }
            for (f in files) assertTrue(f.name.matches(Regex("[a-z0-9_.-]+\\.csv")), f.name)
        }
    }

    @Test
    fun `bad periods and unknown venues are typed errors`() {
        val e1 = assertThrows<BrobyggerException.InvalidInput> {
            vault.evaluationReport(LocalDate.of(2026, 3, 31), LocalDate.of(2026, 3, 1), null, Language.DA)
        }
        assertEquals("to", e1.field)
        val e2 = assertThrows<BrobyggerException.InvalidInput> {
            vault.evaluationReport(LocalDate.of(2020, 1, 1), LocalDate.of(2026, 1, 2), null, Language.DA)
        }
        assertEquals("to", e2.field)
        assertThrows<BrobyggerException.NotFound> {
            vault.evaluationReport(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 31), "0".repeat(32), Language.DA)
        }
        assertThrows<BrobyggerException.InvalidInput> { vault.addSurveyAnswer(venue.id, null, listOf(5u, 4u, 6u, 5u, 4u)) }
        assertThrows<BrobyggerException.InvalidInput> { vault.addSurveyAnswer(venue.id, null, listOf(5u, 4u)) }
        assertThrows<BrobyggerException.InvalidInput> { vault.addSurveyAnswer(venue.id, null, List(5) { null }) }
    }

    @Test
    fun `survey mode locks the vault, takes forms, and needs the PIN to leave`() {
        at("2026-03-24T12:00")
        val mode = vault.startSurveyMode(venue.id)
        assertFalse(vault.isUnlocked(), "the vault is locked while the citizen holds the phone")
        assertTrue(mode.isActive())
        assertThrows<BrobyggerException.Locked> { vault.listCitizens() }
        repeat(5) { mode.addAnswer(listOf(5u, 4u, 5u, null, 4u)) }
        assertThrows<BrobyggerException.InvalidInput> { mode.addAnswer(listOf(9u, 4u, 5u, 5u, 4u)) }

        assertThrows<BrobyggerException.WrongPin> { mode.leaveWithPin("000000") }
        assertTrue(mode.isActive(), "a wrong PIN does not end survey mode")
        assertFalse(vault.isUnlocked())
        mode.leaveWithPin(PIN)
        assertFalse(mode.isActive())
        assertTrue(vault.isUnlocked())
        assertThrows<BrobyggerException.Locked> { mode.addAnswer(listOf(5u, 5u, 5u, 5u, 5u)) }

        val report = vault.evaluationReport(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 31), venue.id, Language.EN)
        assertEquals(surveyStatements(Language.EN).map { it.code }, report.survey.map { it.code })
        // Five forms agreed with the first statement: 100 %.
        assertEquals(1.0, report.survey.first().share!!, 1e-9)
        assertEquals(5, surveyScale(Language.DA).size)
        assertTrue(surveyIdleMinutes() in 1u..60u)
    }
}
