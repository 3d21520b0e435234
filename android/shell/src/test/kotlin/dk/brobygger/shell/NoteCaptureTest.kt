package dk.brobygger.shell

import androidx.compose.ui.test.assertIsDisplayed
import androidx.compose.ui.test.assertTextContains
import androidx.compose.ui.test.assertTextEquals
import dk.brobygger.core.Language
import dk.brobygger.core.NoteState
import dk.brobygger.core.topicLabel
import dk.brobygger.core.Topic
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test

/** Fast note capture: one tap from Today, autosave after a short pause, then final. */
@OptIn(kotlinx.coroutines.ExperimentalCoroutinesApi::class)
class NoteCaptureTest : ShellTest() {
    @Test
    fun aNoteIsAutosavedThenFinalized() {
        val vault = seeded().vault
        val app = app()
        show(app)
        coreAnswers()
        type("unlock-pin", PIN)
        click("unlock-ok")
        coreAnswers()

        click("today-new-note")
        coreAnswers()
        seen("note-text").assertIsDisplayed()
        type("note-text", "Kaffe med Ole. Vil gerne have hjælp til en ansøgning.")
        coreNow()
        tag("note-saved").assertTextEquals("Gemmer …")
        assertEquals("nothing saved before the pause", 0, vault.listNotes(null, null, null).items.size)

        dispatcher.scheduler.advanceTimeBy(700)
        coreNow()
        tag("note-saved").assertTextContains("Gemt", substring = true)
        val draft = vault.listNotes(null, null, null).items.single()
        assertEquals(NoteState.DRAFT, draft.state)
        assertEquals("Kaffe med Ole. Vil gerne have hjælp til en ansøgning.", vault.getNote(draft.id).text)

        click("note-citizen:Ole")
        click("note-topics:" + topicLabel(Topic.JOB_EDUCATION_REHABILITATION, Language.DA))
        type("note-text", "Kaffe med Ole. Vil gerne have hjælp til en ansøgning. Vi skriver den sammen tirsdag.")
        click("note-finalize")
        coreAnswers()
        val note = vault.getNote(draft.id)
        assertEquals("still one note: the draft became final", 1, vault.listNotes(null, null, null).items.size)
        assertEquals(NoteState.FINAL, note.state)
        assertEquals(vault.ole().id, note.citizenId)
        assertEquals(listOf(Topic.JOB_EDUCATION_REHABILITATION), note.topics)
        assertTrue(note.text.endsWith("tirsdag."))
        seen("note-final-text").assertIsDisplayed()
        screenshot("note-final")

        type("note-journal-ref", "SBSYS 2026-1234")
        click("note-journalise")
        coreAnswers()
        assertEquals(NoteState.JOURNALISED, vault.getNote(draft.id).state)
    }
}
