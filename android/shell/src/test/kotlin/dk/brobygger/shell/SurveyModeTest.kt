package dk.brobygger.shell

import androidx.compose.ui.test.assertIsDisplayed
import androidx.compose.ui.test.assertIsEnabled
import androidx.compose.ui.test.assertIsNotEnabled
import androidx.compose.ui.test.assertIsNotSelected
import androidx.compose.ui.test.assertIsSelected
import androidx.compose.ui.test.assertTextEquals
import androidx.compose.ui.test.onNodeWithTag
import dk.brobygger.core.BrobyggerException
import dk.brobygger.core.Language
import dk.brobygger.core.ReportTable
import dk.brobygger.core.SurveyText
import dk.brobygger.core.Vault
import dk.brobygger.core.errorMessage
import dk.brobygger.core.surveyProgress
import dk.brobygger.core.surveyScale
import dk.brobygger.core.surveyStatements
import dk.brobygger.core.surveyText
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertThrows
import org.junit.Assert.assertTrue
import org.junit.Test

/** Survey mode: the citizen answers on the worker's phone, and only the worker takes it back. */
class SurveyModeTest : ShellTest() {
    private val da = surveyStatements(Language.DA)
    private val en = surveyStatements(Language.EN)

    /** The survey table of today's report at the venue (the vault unlocked). */
    private fun surveyTable(vault: Vault): ReportTable =
        vault.evaluationReport(today(), today(), vault.venue().id, Language.DA).tables.first { it.code == "survey" }

    private fun ReportTable.cell(row: String, column: String) = rows.first { it.code == row }.cells[columns.indexOfFirst { it.code == column }].text

    /** Four forms typed in earlier (paper): the report keeps them under "<5". */
    private fun fourForms(): Vault {
        val vault = seeded().vault
        repeat(4) { vault.addSurveyAnswer(vault.venue().id, null, listOf(5u, 4u, 4u, 2u, 5u)) }
        assertEquals("<5", surveyTable(vault).cell("responses", "answers"))
        vault.lock()
        return vault
    }

    /** A choice as TalkBack reads it: its words only (the ○/● mark is for the eye). */
    private fun option(t: String) = rule.onNodeWithTag(t)

    private fun startSurvey(app: AppState) {
        click("today-survey")
        coreAnswers()
        click("survey-start-go")
        coreAnswers()
        assertTrue(app.screen.value is AppScreen.Survey)
    }

    private fun assertNothingElseReachable(app: AppState, vault: Vault) {
        for (t in listOf("tab:I dag", "tab:Borgere", "tab:Notater", "tab:Sms", "tab:Mere", "back", "today-new-note", "today-survey")) tag(t).assertDoesNotExist()
        app.navigate(Route.Citizens)
        app.tab(Route.Notes)
        assertFalse(app.back())
        app.lock() // the phone's screen went off
        coreAnswers()
        assertTrue(app.screen.value is AppScreen.Survey)
        assertFalse(vault.isUnlocked())
        assertThrows(BrobyggerException.Locked::class.java) { vault.listCitizens() }
    }

    @Test
    fun aCitizenAnswersTheFormCountsAndOnlyTheWorkersPinLeaves() {
        val vault = fourForms()
        val app = app()
        show(app)
        unlockInApp()
        startSurvey(app)
        assertNothingElseReachable(app, vault)

        tag("survey-title").assertTextEquals(surveyText(SurveyText.TITLE, Language.DA))
        click("survey-begin")
        val scale = surveyScale(Language.DA)
        assertEquals(listOf(1u, 2u, 3u, 4u, 5u), scale.map { it.value })
        // 4, 5, not answered, 1, 3 — in Danish, with a look at the third in English.
        val choices = listOf("survey-answer:4", "survey-answer:5", "survey-skip", "survey-answer:1", "survey-answer:3")
        for ((i, choice) in choices.withIndex()) {
            tag("survey-progress").assertTextEquals(surveyProgress((i + 1).toUInt(), Language.DA))
            tag("survey-statement").assertTextEquals(da[i].text)
            for (s in scale) option("survey-answer:${s.value}").assertTextEquals(s.label)
            val forward = if (i < choices.size - 1) "survey-next" else "survey-send"
            seen(forward).assertIsNotEnabled()
            click(choice)
            seen(choice).assertIsSelected()
            if (i == 1) screenshot("survey")
            if (i == 2) {
                click("survey-language")
                tag("survey-statement").assertTextEquals(en[i].text)
                option("survey-skip").assertTextEquals(surveyText(SurveyText.SKIP, Language.EN))
                option("survey-answer:1").assertTextEquals(surveyScale(Language.EN)[0].label)
                click("survey-language")
                tag("survey-statement").assertTextEquals(da[i].text)
            }
            click(forward)
        }
        // Sent on the dispatcher, then thanks; the form is clean for the next citizen.
        coreAnswers()
        tag("survey-thanks").assertTextEquals(surveyText(SurveyText.THANKS, Language.DA))
        screenshot("survey-thanks")
        click("survey-next-citizen")
        tag("survey-title").assertIsDisplayed()
        click("survey-begin")
        seen("survey-answer:4").assertIsNotSelected()
        seen("survey-next").assertIsNotEnabled()

        // Leaving: not without the PIN, not with a wrong one (the core's words; survey mode goes on).
        click("survey-worker")
        seen("survey-leave").assertIsNotEnabled()
        type("survey-pin", "000000")
        click("survey-leave")
        coreAnswers()
        tag("error").assertTextEquals(errorMessage(BrobyggerException.WrongPin(9u), Language.DA))
        assertTrue(app.screen.value is AppScreen.Survey)
        assertNothingElseReachable(app, vault)
        screenshot("survey-wrong-pin")

        type("survey-pin", PIN)
        seen("survey-leave").assertIsEnabled()
        click("survey-leave")
        coreAnswers()
        assertTrue(vault.isUnlocked())
        // Back where it was started from.
        seen("today-survey").assertIsDisplayed()

        // The form counts: five responses now; the skipped statement has four answers, the others five.
        val t = surveyTable(vault)
        assertEquals("5", t.cell("responses", "answers"))
        assertEquals("5", t.cell("held_at_venue_positive", "answers"))
        assertEquals("5", t.cell("held_at_venue_positive", "agreeing"))
        assertEquals("<5", t.cell("listened_to", "answers"))
        assertEquals("5", t.cell("about_what_mattered", "answers"))
        assertEquals("0", t.cell("about_what_mattered", "agreeing"))
    }

    @Test
    fun aFormWithNothingAnsweredIsRefusedInTheCatalogueWords() {
        fourForms()
        val app = app()
        show(app)
        unlockInApp()
        startSurvey(app)
        click("survey-begin")
        repeat(da.size) { i ->
            click("survey-skip")
            click(if (i < da.size - 1) "survey-next" else "survey-send")
        }
        coreAnswers()
        tag("error").assertTextEquals(errorMessage(BrobyggerException.InvalidInput("answers", "at least one statement must be answered"), Language.DA))
        tag("survey-thanks").assertDoesNotExist()
        // Back to change one, and it goes.
        click("survey-answer:5")
        click("survey-send")
        coreAnswers()
        tag("survey-thanks").assertIsDisplayed()
    }

    @Test
    fun biometricsLeaveAndIdleTimeEndsItOnThePinScreen() {
        val vault = seeded().vault
        val secret = vault.enrollBiometric()
        vault.lock()
        var prompts = 0
        val app = app(biometricEnrolled = { true }, requestBiometric = { prompts++ })
        show(app)
        unlockInApp()
        startSurvey(app)
        click("survey-worker")
        val before = prompts // the PIN screen asked once by itself; survey mode only when tapped
        click("survey-leave-biometric")
        assertEquals(before + 1, prompts)
        app.biometricSecret(secret.copyOf())
        coreAnswers()
        assertTrue(vault.isUnlocked())
        assertTrue(app.screen.value is AppScreen.Open)

        // Forgotten in survey mode: 15 minutes without a form end it; the PIN screen follows.
        startSurvey(app)
        clock.now = clock.now.plusSeconds(16 * 60)
        app.checkSurvey()
        coreAnswers()
        assertTrue(app.screen.value is AppScreen.Unlock)
        seen("unlock-pin").assertIsDisplayed()
        assertFalse(vault.isUnlocked())
    }

    @Test
    fun largeTypeAt200PercentFontSize() {
        fourForms()
        val app = app()
        show(app, fontScale = 2f)
        unlockInApp()
        startSurvey(app)
        click("survey-begin")
        click("survey-answer:1")
        for (t in listOf("survey-statement", "survey-answer:1", "survey-answer:5", "survey-skip", "survey-next", "survey-worker")) {
            seen(t).assertIsDisplayed()
            val right = tag(t).fetchSemanticsNode().boundsInRoot.right
            assertTrue("$t ends at $right", right <= 400.5f)
        }
        seen("survey-language")
        screenshot("survey-font-200")
    }
}
