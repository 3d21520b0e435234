package dk.brobygger.platform.android

import android.telephony.SmsMessage
import dk.brobygger.core.SmsEncoding
import dk.brobygger.core.checkSmsText
import dk.brobygger.core.coreVersion
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNotSame
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.annotation.Config

/**
 * The real core, loaded through JNA from inside Robolectric's sandbox class loader, on both SDKs
 * the app targets; and the core's SMS segment counts against Android's own [SmsMessage.calculateLength],
 * which is what the radio will actually bill.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [34, 35])
class CoreInSandboxTest {
    @Test
    fun coreLoadsThroughJnaInsideTheSandbox() {
        // The bindings are loaded by the sandbox, not by the class path's loader: this is the case
        // where JNA must register the native methods on a class of another loader.
        assertNotSame(ClassLoader.getSystemClassLoader(), SmsEncoding::class.java.classLoader)
        assertTrue(SmsEncoding::class.java.classLoader!!.javaClass.name.contains("Sandbox"))
        assertTrue(Regex("""\d+\.\d+\.\d+.*""").matches(coreVersion()))
    }

    @Test
    fun coreSegmentsMatchAndroid() {
        val texts = listOf(
            "a".repeat(160),
            "a".repeat(161),
            "a".repeat(306),
            "a".repeat(307),
            "Hej! Husk vores aftale tirsdag den 3. marts kl. 10.00 på Æblegården, Østerbro. Svar gerne.",
            "€[]{}".repeat(32),
            "€".repeat(80),
            "ж".repeat(70),
            "ж".repeat(71),
            "ж".repeat(134),
            "ж".repeat(135),
            "Привет, встреча завтра в 10.00",
            "Meet you at 10 \u201ctomorrow\u201d \u2013 ok?",
            "🙂".repeat(35),
            "🙂".repeat(36),
        )
        for (text in texts) {
            val core = checkSmsText(text)
            // What the radio sends is the core's normalised text.
            val android = SmsMessage.calculateLength(core.normalized, false)
            val what = describe(text)
            assertEquals("segments of $what", android[0], core.segments.toInt())
            assertEquals("units of $what", android[1], core.units.toInt())
            val androidEncoding = if (android[3] == SmsMessage.ENCODING_7BIT) SmsEncoding.GSM7 else SmsEncoding.UCS2
            assertEquals("encoding of $what", androidEncoding, core.encoding)
        }
    }

    /**
     * Where the two differ, on purpose: the core never splits an extension character (€, [, ...,
     * two septets: escape + char) across two parts, so a part can hold 152 septets where
     * calculateLength, which only divides the septet count by 153, assumes every part holds 153.
     * Those texts are one part longer in the core's count; the count that matches what
     * SmsManager.divideMessage actually sends is the core's (GsmAlphabet keeps escapes whole too).
     */
    @Test
    fun extensionCharactersAtAPartBoundaryCostThePartTheyWouldStraddle() {
        // 152 plain septets, then '€' (2 septets) would straddle the first part's end (153).
        val text = "a".repeat(152) + "€" + "a".repeat(152)
        val core = checkSmsText(text)
        val android = SmsMessage.calculateLength(core.normalized, false)
        assertEquals(SmsEncoding.GSM7, core.encoding)
        assertEquals("same septets", android[1], core.units.toInt())
        assertEquals(306, core.units.toInt())
        assertEquals("calculateLength divides: 306 / 153 = 2", 2, android[0])
        assertEquals("the core packs whole characters: 152 | 2 + 151 | 1 needs 3 parts", 3, core.segments.toInt())
        // Moved by one septet, nothing straddles, and both agree again.
        val shifted = "a".repeat(151) + "€" + "a".repeat(153)
        assertEquals(SmsMessage.calculateLength(shifted, false)[0], checkSmsText(shifted).segments.toInt())
    }

    private fun describe(text: String) = "${text.take(12)}… (${text.length} chars)"
}
