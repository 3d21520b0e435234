package dk.brobygger.core

import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.time.LocalDate
import kotlin.io.path.isRegularFile
import kotlin.io.path.readBytes
import kotlin.test.assertEquals
import kotlin.test.assertNull
import kotlin.test.assertTrue

class CitizensAndNotesTest {
    private val clock = TestClock()
    private val dir = tempVaultDir()
    private val vault = createVault(dir.toString(), PIN, JvmKeyStore(), clock).vault

    @Test
    fun `citizens are validated and normalised`() {
        val ole = vault.addCitizen(
            NewCitizen(nickname = " Ole ", phone = "0045 20304050", smsConsent = ConsentMethod.VERBAL,
                language = SmsLanguage.DA, caseReference = "27.12.04-G01-1-26"),
        )
        assertEquals("Ole", ole.nickname)
        assertEquals("+4520304050", ole.phone?.e164)
        assertEquals(PhoneKind.MOBILE, ole.phone?.kind)
        assertEquals(ConsentMethod.VERBAL, ole.smsConsent?.method)
        assertEquals(clock.now, ole.smsConsent?.givenAt)
        assertTrue(ole.canReceiveSms)

        val bad = assertThrows<BrobyggerException.InvalidInput> {
            vault.addCitizen(NewCitizen(nickname = "Bo", phone = "1234", language = SmsLanguage.DA))
        }
        assertEquals("phone", bad.field)
        assertThrows<BrobyggerException.InvalidInput> { vault.addCitizen(NewCitizen(nickname = "  ", language = SmsLanguage.DA)) }
            .also { assertEquals("nickname", it.field) }
        assertThrows<BrobyggerException.InvalidInput> { vault.addCitizen(NewCitizen(nickname = "x".repeat(61), language = SmsLanguage.DA)) }
        assertEquals(1, vault.listCitizens().citizens.size, "refused input wrote nothing")

        clock.advance(Duration.ofMinutes(1))
        val withdrawn = vault.withdrawSmsConsent(ole.id)
        assertNull(withdrawn.smsConsent)
        assertEquals(clock.now, withdrawn.smsConsentWithdrawnAt)
        assertTrue(!withdrawn.canReceiveSms)

        val edited = vault.editCitizen(ole.id, CitizenEdit(nickname = "Ole B", phone = "+46 70 123 45 67", language = SmsLanguage.EN))
        assertEquals("+46701234567", edited.phone?.e164)
        assertNull(edited.caseReference)
        assertEquals(listOf(ole.id), vault.findCitizensByPhone("0046701234567").map { it.id })
        assertThrows<BrobyggerException.NotFound> { vault.getCitizen("0".repeat(32)) }
        assertThrows<BrobyggerException.InvalidInput> { vault.getCitizen("nope") }
    }

    @Test
    fun `notes go from draft to final to journalised`() {
        val ole = vault.addCitizen(NewCitizen(nickname = "Ole", language = SmsLanguage.DA))
        val draft = vault.createNote(NoteInput(citizenId = ole.id, text = "Kaffe med Ole"))
        assertEquals(NoteState.DRAFT, draft.state)
        vault.saveDraft(draft.id, NoteInput(citizenId = ole.id, text = "Kaffe med Ole. Skal til Ærø.",
            topics = listOf(Topic.FINANCES_HOUSING, Topic.FINANCES_HOUSING), helpGiven = listOf(HelpGiven.FORMS)))
        var note = vault.getNote(draft.id)
        assertEquals(listOf(Topic.FINANCES_HOUSING), note.topics)
        note = vault.finalizeNote(note.id)
        assertEquals(NoteState.FINAL, note.state)
        assertThrows<BrobyggerException.InvalidState> { vault.saveDraft(note.id, NoteInput(citizenId = ole.id, text = "silent edit")) }
        note = vault.amendNote(note.id, "Tilføjet senere")
        assertEquals(listOf("Tilføjet senere"), note.amendments.map { it.text })
        val task = vault.addFollowUp(note.id, FollowUpInput(text = "Ring til ydelseskontoret", dueDate = LocalDate.parse("2026-04-07"), owner = WorkerRole.CASEWORKER))
        assertEquals(LocalDate.parse("2026-04-07"), task.dueDate)
        assertTrue(vault.setFollowUpDone(task.id, true).done)
        assertThrows<BrobyggerException.InvalidInput> {
            vault.addFollowUp(note.id, FollowUpInput(text = "two\nlines", owner = WorkerRole.CASEWORKER))
        }.also { assertEquals("text", it.field) }
        note = vault.markJournalised(note.id, "SBSYS 2026-1234")
        assertEquals(NoteState.JOURNALISED, note.state)
        assertEquals("SBSYS 2026-1234", note.journalReference)

        val anonymous = vault.createNote(NoteInput(text = "Anonym samtale om gæld"))
        assertNull(vault.getNote(anonymous.id).citizenId)
        assertEquals(listOf(note.id), vault.searchNotes("ÆRØ", null, null).items.map { it.id })
        assertEquals(listOf(anonymous.id), vault.searchNotes("GÆLD", null, null).items.map { it.id })
        assertEquals(listOf(note.id), vault.searchNotes("tilføjet", null, null).items.map { it.id }, "amendments are searched too")
        assertEquals(2, vault.listNotes(null, null, null).items.size)
        assertEquals(listOf(note.id), vault.listNotes(ole.id, 10u, null).items.map { it.id })
    }

    @Test
    fun `deleting a citizen removes them and their notes from every file`() {
        val marker = "Zyxwvutsrq"
        val ole = vault.addCitizen(NewCitizen(nickname = "Ole$marker", phone = "20304050", language = SmsLanguage.DA))
        val note = vault.createNote(NoteInput(citizenId = ole.id, text = "Note $marker om misbrug"))
        vault.finalizeNote(note.id)
        assertEquals(0, filesContaining(dir, marker), "nothing personal in plaintext")
        vault.deleteCitizen(ole.id)
        assertThrows<BrobyggerException.NotFound> { vault.getCitizen(ole.id) }
        assertThrows<BrobyggerException.NotFound> { vault.getNote(note.id) }
        assertTrue(vault.searchNotes(marker, null, null).items.isEmpty())
        assertEquals(0, filesContaining(dir, marker))
    }

    private fun filesContaining(dir: Path, marker: String): Int =
        Files.walk(dir).use { paths ->
            paths.filter { it.isRegularFile() }.filter { p ->
                val bytes = p.readBytes()
                String(bytes, Charsets.ISO_8859_1).contains(marker)
            }.count().toInt()
        }
}
