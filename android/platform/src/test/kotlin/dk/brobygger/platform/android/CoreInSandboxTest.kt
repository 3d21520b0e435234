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

    private fun describe(text: String) = "${text.take(12)}… (${text.length} chars)"
}
