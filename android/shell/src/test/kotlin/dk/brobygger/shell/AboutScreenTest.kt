package dk.brobygger.shell

import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Surface
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.toAwtImage
import androidx.compose.ui.test.assertTextEquals
import androidx.compose.ui.test.captureToImage
import androidx.compose.ui.test.junit4.createComposeRule
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.onRoot
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performTextReplacement
import dk.brobygger.core.coreVersion
import java.io.File
import javax.imageio.ImageIO
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.test.StandardTestDispatcher
import org.junit.After
import org.junit.Assert.assertTrue
import org.junit.Rule
import org.junit.Test

/**
 * The About screen on the JVM (Compose Multiplatform desktop, headless): semantics, a tap, text
 * input, and a screenshot for a person to look at (target/screenshots/about.png).
 */
@OptIn(ExperimentalCoroutinesApi::class)
class AboutScreenTest {
    @get:Rule
    val rule = createComposeRule()

    private val dispatcher = StandardTestDispatcher()
    private val about = AboutState(dispatcher)

    @After
    fun close() = about.close()

    /** Runs the holder's pending core calls, then lets Compose catch up. */
    private fun coreAnswers() {
        dispatcher.scheduler.advanceUntilIdle()
        rule.waitForIdle()
    }

    @Test
    fun showsTheCoreAndMeasuresTexts() {
        rule.setContent {
            MaterialTheme { Surface(Modifier.fillMaxSize()) { AboutScreen(about) } }
        }
        rule.onNodeWithTag(AboutTags.VERSION).assertTextEquals("Kerneversion …")
        rule.onNodeWithTag(AboutTags.LENGTH).assertTextEquals("Måler …")

        coreAnswers()
        rule.onNodeWithTag(AboutTags.VERSION).assertTextEquals("Kerneversion ${coreVersion()}")
        rule.onNodeWithTag(AboutTags.LENGTH).assertTextEquals("1 SMS · GSM-7")

        rule.onNodeWithText("Prøv en lang tekst").performClick()
        coreAnswers()
        rule.onNodeWithTag(AboutTags.LENGTH).assertTextEquals("2 SMS'er · GSM-7")

        rule.onNodeWithTag(AboutTags.SAMPLE).performTextReplacement("Hej Łukasz, vi ses på mandag")
        coreAnswers()
        rule.onNodeWithTag(AboutTags.LENGTH).assertTextEquals("1 SMS · UCS-2")

        val shot = screenshot("about")
        assertTrue(shot.length() > 0)
    }

    private fun screenshot(name: String): File {
        val dir = File(System.getProperty("brobygger.screenshots") ?: "target/screenshots")
        dir.mkdirs()
        val file = File(dir, "$name.png")
        ImageIO.write(rule.onRoot().captureToImage().toAwtImage(), "png", file)
        return file
    }
}
