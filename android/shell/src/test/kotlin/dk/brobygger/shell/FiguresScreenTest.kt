package dk.brobygger.shell

import androidx.compose.material3.lightColorScheme
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.graphics.toPixelMap
import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.test.assertIsDisplayed
import androidx.compose.ui.test.assertTextEquals
import androidx.compose.ui.test.captureToImage
import dk.brobygger.core.AppointmentKind
import dk.brobygger.core.BrobyggerException
import dk.brobygger.core.EvaluationReport
import dk.brobygger.core.Language
import dk.brobygger.core.NewAppointment
import dk.brobygger.core.NewCitizen
import dk.brobygger.core.NoteInput
import dk.brobygger.core.Outcome
import dk.brobygger.core.SmsLanguage
import dk.brobygger.core.Topic
import dk.brobygger.core.Vault
import dk.brobygger.core.errorMessage
import java.io.ByteArrayInputStream
import java.time.LocalDate
import java.time.LocalDateTime
import java.util.zip.ZipInputStream
import kotlin.math.abs
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertThrows
import org.junit.Assert.assertTrue
import org.junit.Test

/** The evaluation figures against a real vault with three months of work in it. */
class FiguresScreenTest : ShellTest() {
    /** Per month of 2026: conversations attended and missed (enough of each for a rate to be shown). */
    private val months = listOf(1 to (10 to 5), 2 to (14 to 6), 3 to (12 to 7))
    private val statutoryInFebruary = 3
    private val housing = 7
    private val mentalHealth = 3

    /**
     * January to March 2026 at Borgercaféen: booked in December (the core books only ahead), the
     * outcomes recorded on 1 April; three statutory meetings, all attended (a count under 5);
     * eight notes, [housing] about finances and housing and [mentalHealth] about mental health.
     */
    private fun quarter(): Vault {
        clock.now = cph("2025-12-15T09:00")
        val vault = seeded().vault
        val venue = vault.venue().id
        val people = (1..8).map { vault.addCitizen(NewCitizen(nickname = "Borger $it", language = SmsLanguage.DA)) }
        val outcomes = mutableListOf<Pair<String, Outcome>>()
        fun book(at: LocalDateTime, who: Int, kind: AppointmentKind, outcome: Outcome) {
            val b = vault.bookAppointment(NewAppointment(citizenId = people[who % people.size].id, venueId = venue, localStart = at, durationMinutes = 45u, kind = kind))
            outcomes += b.appointment.id to outcome
        }
        for ((month, counts) in months) {
            val (attended, missed) = counts
            repeat(attended + missed) { i ->
                book(LocalDateTime.of(2026, month, 2 + i, 10, 0), i, AppointmentKind.CONVERSATION, if (i < attended) Outcome.ATTENDED else Outcome.NO_SHOW)
            }
        }
        repeat(statutoryInFebruary) { i -> book(LocalDateTime.of(2026, 2, 3 + i, 13, 0), i, AppointmentKind.STATUTORY_MEETING, Outcome.ATTENDED) }
        vault.lock()
        clock.now = cph("2026-04-01T09:00")
        vault.unlock(PIN)
        for ((id, outcome) in outcomes) vault.setOutcome(id, outcome)
        repeat(8) { i ->
            val topics = listOfNotNull(Topic.FINANCES_HOUSING.takeIf { i < housing }, Topic.MENTAL_HEALTH.takeIf { i >= 8 - mentalHealth })
            vault.createNote(NoteInput(citizenId = people[i].id, text = "Samtale om hverdagen", topics = topics, occurredAt = cph("2026-02-${10 + i}T11:00")))
        }
        vault.lock()
        return vault
    }

    private val jan1: LocalDate = LocalDate.parse("2026-01-01")

    private fun openFigures(app: AppState) {
        show(app)
        unlockInApp()
        click("tab:Mere")
        click("more-figures")
        coreAnswers()
    }

    private val primary = lightColorScheme().primary

    private fun Color.near(other: Color) = abs(red - other.red) + abs(green - other.green) + abs(blue - other.blue) < 0.3f

    /** Runs of columns in row [y] of the node's image drawn in the chart colour: their centres. */
    private fun inkAt(tag: String, y: (Int) -> Int): Pair<List<Float>, Int> {
        val image = seen(tag).captureToImage().toPixelMap()
        val row = y(image.height)
        val runs = mutableListOf<Float>()
        var start = -1
        for (x in 0..image.width) {
            val ink = x < image.width && image[x, row].near(primary)
            if (ink && start < 0) start = x
            if (!ink && start >= 0) {
                runs += (start + x - 1) / 2f
                start = -1
            }
        }
        return runs to image.width
    }

    private fun inkWidth(tag: String): Float {
        val image = seen(tag).captureToImage().toPixelMap()
        val row = image.height / 2
        return (0 until image.width).count { image[it, row].near(primary) }.toFloat() / image.width
    }

    private fun assertCellsAsTheCoreHasThem(r: EvaluationReport, phoneWidth: Float = 400f) {
        for (t in r.tables) for (row in t.rows) row.cells.forEachIndexed { i, c ->
            val node = tag("cell:${t.code}:${row.code}:${t.columns[i].code}")
            node.assertTextEquals(c.text)
            val right = node.fetchSemanticsNode().boundsInRoot.right
            assertTrue("${t.code}/${row.code}/${t.columns[i].code} ends at $right, beyond the screen", right <= phoneWidth + 0.5f)
        }
    }

    @Test
    fun theCoresTablesWithTheirSuppressedCellsTheTopicsAsBarsAndTheTrendWithItsIntervals() {
        val vault = quarter()
        val app = app()
        openFigures(app)
        val r = folder.open().evaluationReport(jan1, today(), null, Language.DA)
        tag("figures-title").assertTextEquals(r.title)
        tag("figures-period").assertTextEquals(r.period)

        // Every cell of every table as the core wrote it, none beyond the screen's edge.
        assertCellsAsTheCoreHasThem(r)
        // And what follows from the data: three statutory meetings are "<5"; seven of eight
        // conversations about housing are shown, three about mental health are not.
        tag("cell:appointments:statutory_meeting:attended").assertTextEquals("<5")
        tag("cell:topics:finances_housing:conversations").assertTextEquals("$housing")
        tag("cell:topics:finances_housing:share").assertTextEquals("87,5")
        tag("cell:topics:mental_health:conversations").assertTextEquals("<5")
        tag("cell:topics:mental_health:share").assertTextEquals("..")
        for ((month, counts) in months) tag("cell:no_show_trend:2026-0$month:no_shows").assertTextEquals("${counts.second}")
        r.legend.forEachIndexed { i, l -> tag("figures-legend:$i").assertTextEquals(l) }

        // Bars: as long as their share; a suppressed one has its marker and an empty track.
        val bars = r.topics.associateBy { it.code }
        tag("bar-text:topics:finances_housing").assertTextEquals("87,5 %")
        assertEquals(7.0 / 8, inkWidth("bar-canvas:topics:finances_housing").toDouble(), 0.02)
        tag("bar-text:topics:mental_health").assertTextEquals(bars.getValue("mental_health").text)
        assertEquals("<5", bars.getValue("mental_health").text)
        assertEquals(0f, inkWidth("bar-canvas:topics:mental_health"))
        seen("table:topics")
        screenshot("figures")

        // The trend: each month's point between its whiskers where the rate lies in its
        // interval, on one axis for all months.
        // January to March with figures; April (the period ends on its first day) with none: "–", no mark.
        assertEquals(listOf("2026-01", "2026-02", "2026-03", "2026-04"), r.trend.map { it.label })
        val april = r.trend.last()
        assertEquals(null, april.rate)
        tag("trend-text:2026-04").assertTextEquals(april.text)
        assertEquals(emptyList<Float>(), inkAt("trend-plot:2026-04") { it / 2 }.first)
        val spans = mutableListOf<Pair<Float, Double>>()
        for (p in r.trend.dropLast(1)) {
            assertTrue("${p.label} is shown with its interval", p.rate != null && p.low != null && p.high != null)
            val (rate, low, high) = Triple(p.rate!!, p.low!!, p.high!!)
            tag("trend-text:${p.label}").assertTextEquals(p.text)
            val said = tag("trend:${p.label}").fetchSemanticsNode().config[SemanticsProperties.ContentDescription].joinToString()
            assertTrue(said, said.startsWith("${p.label}: ${p.text}"))
            // 4 px above the line: the caps at both ends and the point between them.
            val (ink, _) = inkAt("trend-plot:${p.label}") { it / 2 - 4 }
            assertEquals("caps and point of ${p.label}: $ink (${p.low}, ${p.rate}, ${p.high}; scale ${trendScale(r.trend)})", 3, ink.size)
            val (xLow, xRate, xHigh) = ink
            assertEquals((rate - low) / (high - low), ((xRate - xLow) / (xHigh - xLow)).toDouble(), 0.05)
            spans += (xHigh - xLow) to (high - low)
        }
        for (i in 1 until spans.size) assertEquals(spans[i].second / spans[0].second, (spans[i].first / spans[0].first).toDouble(), 0.05)
        seen("chart:trend")
        screenshot("figures-trend")

        // One venue: the core's note that notes carry none, and no topics.
        click("figures-venue:Borgercaféen")
        click("figures-show")
        coreAnswers()
        val atVenue = folder.open().evaluationReport(jan1, today(), vault.venue().id, Language.DA)
        tag("figures-venue-name").assertTextEquals("Borgercaféen")
        atVenue.notes.forEachIndexed { i, n -> tag("figures-note:$i").assertTextEquals(n) }
        tag("chart:topics").assertDoesNotExist()
        assertCellsAsTheCoreHasThem(atVenue)
    }

    @Test
    fun refusedPeriodsAndVenuesInTheCatalogueWords() {
        val vault = quarter()
        val app = app()
        openFigures(app)
        fun refused(call: () -> Unit): BrobyggerException = assertThrows(BrobyggerException::class.java) { call() }

        // To before from.
        type("figures-from", "2026-03-01")
        type("figures-to", "2026-02-01")
        click("figures-show")
        coreAnswers()
        val backwards = refused { vault.evaluationReport(LocalDate.parse("2026-03-01"), LocalDate.parse("2026-02-01"), null, Language.DA) }
        tag("error").assertTextEquals(errorMessage(backwards, Language.DA))
        tag("figures-title").assertDoesNotExist()

        // More than five years.
        type("figures-from", "2020-01-01")
        click("figures-show")
        coreAnswers()
        val tooLong = refused { vault.evaluationReport(LocalDate.parse("2020-01-01"), LocalDate.parse("2026-02-01"), null, Language.DA) }
        tag("error").assertTextEquals(errorMessage(tooLong, Language.DA))
        assertTrue(errorMessage(tooLong, Language.DA) != errorMessage(backwards, Language.DA))

        // A venue that is not there (deleted on another screen meanwhile).
        type("figures-from", "2026-01-01")
        type("figures-to", "2026-03-31")
        val holder = (app.screen.value as AppScreen.Open).holder as FiguresState
        val gone = "0123456789abcdef0123456789abcdef"
        holder.edit { it.copy(venueId = gone) }
        click("figures-show")
        coreAnswers()
        val unknown = refused { vault.evaluationReport(jan1, LocalDate.parse("2026-03-31"), gone, Language.DA) }
        assertTrue(unknown is BrobyggerException.NotFound)
        tag("error").assertTextEquals(errorMessage(unknown, Language.DA))
    }

    @Test
    fun exportsHandTheCoresFilesToThePhoneUnderNamesWithNothingPersonal() {
        quarter()
        val shared = mutableListOf<SharedFile>()
        val app = app(device = object : Device {
            override fun shareFile(file: SharedFile) {
                shared += file
            }
        })
        openFigures(app)
        click("figures-export")
        click("figures-export-html")
        assertTrue("not before the dispatcher runs", shared.isEmpty())
        coreAnswers()
        click("figures-export")
        click("figures-export-csv")
        coreAnswers()
        assertEquals(2, shared.size)
        val (html, csv) = shared
        val vault = folder.open()
        assertEquals("brobygger-2026-01-01_2026-04-01.html", html.name)
        assertEquals("text/html", html.mimeType)
        assertEquals(vault.evaluationHtml(jan1, today(), null, Language.DA), html.bytes.toString(Charsets.UTF_8))
        assertEquals("brobygger-2026-01-01_2026-04-01-csv.zip", csv.name)
        assertEquals("application/zip", csv.mimeType)
        val files = vault.evaluationCsv(jan1, today(), null, Language.DA)
        val unzipped = mutableListOf<Pair<String, String>>()
        ZipInputStream(ByteArrayInputStream(csv.bytes)).use { z ->
            while (true) {
                val e = z.nextEntry ?: break
                unzipped += e.name to z.readBytes().toString(Charsets.UTF_8)
            }
        }
        assertEquals(files.map { it.name to it.content }, unzipped)
        for (name in listOf(html.name, csv.name) + unzipped.map { it.first }) {
            assertFalse(name, listOf("Borger", "Ole", "Borgercaf", "Mette").any { name.contains(it, ignoreCase = true) })
        }
    }

    @Test
    fun readableAt200PercentFontSize() {
        quarter()
        val app = app()
        show(app, fontScale = 2f)
        unlockInApp()
        click("tab:Mere")
        click("more-figures")
        coreAnswers()
        val r = folder.open().evaluationReport(jan1, today(), null, Language.DA)
        // Wide tables turn into blocks of lines; every cell stays on the screen.
        assertCellsAsTheCoreHasThem(r)
        for (p in r.trend) seen("trend-plot:${p.label}").assertIsDisplayed()
        seen("bar-canvas:topics:finances_housing").assertIsDisplayed()
        seen("cell:appointments:statutory_meeting:attended")
        screenshot("figures-font-200")
        seen("figures-export").assertIsDisplayed()
        seen("figures-show").assertIsDisplayed()
    }
}
