package dk.brobygger.shell

import androidx.compose.ui.test.assertIsDisplayed
import androidx.compose.ui.test.assertTextEquals
import androidx.compose.ui.test.onNodeWithText
import dk.brobygger.core.BrobyggerException
import dk.brobygger.core.Language
import dk.brobygger.core.checkNewPin
import dk.brobygger.core.errorMessage
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Test

/** First start and the PIN screen, against the real core. */
class SetUpAndUnlockTest : ShellTest() {
    @Test
    fun firstSetUpShowsTheRecoveryKeyOnceAndWantsItBack() {
        val app = app()
        show(app)
        coreAnswers()
        // A common PIN is refused in the core's words.
        type("setup-pin", "123456")
        type("setup-repeat", "123456")
        click("setup-next")
        coreAnswers()
        tag("error").assertTextEquals(errorMessage(checkNewPin("123456")!!, Language.DA))
        assertFalse(folder.exists())

        type("setup-pin", PIN)
        type("setup-repeat", PIN)
        click("setup-next")
        coreAnswers()
        assertTrue("the vault is made on the dispatcher", folder.exists())
        val setUp = (app.screen.value as AppScreen.SetUp).holder
        val groups = setUp.state.value.groups
        assertEquals(13, groups.size)
        for (g in groups) rule.onNodeWithText(g, substring = true).assertIsDisplayed()
        screenshot("setup-recovery-key")

        click("setup-written")
        val asked = setUp.state.value.confirmIndex
        type("setup-confirm", "AAAA")
        click("setup-confirm-ok")
        seen("error").assertIsDisplayed()
        type("setup-confirm", groups[asked].lowercase())
        click("setup-confirm-ok")
        coreAnswers()
        assertTrue(app.screen.value is AppScreen.Open)
        seen("today-new-note").assertIsDisplayed()
        // Shown once: the groups are gone from the state.
        assertTrue(setUp.state.value.groups.isEmpty())
    }

    @Test
    fun wrongPinShowsAttemptsLeftAndTheRightOneOpens() {
        seeded().vault.lock()
        val app = app()
        show(app)
        coreAnswers()
        type("unlock-pin", "000000")
        click("unlock-ok")
        val vault = folder.open()
        // Nothing ran yet: the PIN's KDF waits for the dispatcher, not the UI thread.
        assertEquals(10u, vault.status().pinAttemptsLeft)
        coreAnswers()
        tag("error").assertTextEquals(errorMessage(BrobyggerException.WrongPin(9u), Language.DA))
        tag("unlock-attempts").assertTextEquals("9 forsøg tilbage")
        screenshot("unlock-wrong-pin")

        type("unlock-pin", PIN)
        click("unlock-ok")
        coreAnswers()
        assertTrue(vault.isUnlocked())
        assertTrue(app.screen.value is AppScreen.Open)
        assertEquals(10u, vault.status().pinAttemptsLeft)
    }

    @Test
    fun lockingFromTheAppAndAutoLockInTheCoreBothLeadToThePinScreen() {
        seeded()
        val app = app()
        show(app)
        coreAnswers()
        // Set-up left the vault open; the app starts on the PIN screen all the same.
        type("unlock-pin", PIN)
        click("unlock-ok")
        coreAnswers()
        seen("today-new-note").assertIsDisplayed()

        app.lock() // the app went to the background
        coreAnswers()
        assertFalse(folder.open().isUnlocked())
        seen("unlock-pin").assertIsDisplayed()

        type("unlock-pin", PIN)
        click("unlock-ok")
        coreAnswers()
        clock.now = clock.now.plusSeconds(6 * 60) // idle longer than the 5-minute auto-lock
        click("tab:Borgere")
        coreAnswers()
        seen("unlock-pin").assertIsDisplayed()
    }
}
