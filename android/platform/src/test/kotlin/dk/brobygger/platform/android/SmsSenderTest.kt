package dk.brobygger.platform.android

import android.app.PendingIntent
import android.content.Intent
import android.telephony.SmsManager
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config

@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35])
class SmsSenderTest {
    private val context = RuntimeEnvironment.getApplication()

    @Suppress("DEPRECATION") // getDefault() is what Robolectric shadows on every SDK.
    private val sms = SmsManager.getDefault()

    /** GSM-7 multipart parts hold 153 septets; for ASCII text, 153 chars. */
    private val by153 = SmsSplitter { text -> ArrayList(text.chunked(153)) }

    @Test
    fun sendsAllPartsAsOneMultipartMessageWithASentIntentPerPart() {
        val text = "x".repeat(200)
        val sent = PendingIntent.getBroadcast(context, 0, Intent("sent"), PendingIntent.FLAG_IMMUTABLE)

        val parts = SmsSender(sms, by153).send("+4512345678", text, sent)

        val params = shadowOf(sms).lastSentMultipartTextMessageParams
        assertEquals("+4512345678", params.destinationAddress)
        assertEquals(text.chunked(153), params.parts)
        assertEquals(parts, params.parts.size)
        assertEquals(List(parts) { sent }, params.sentIntents)
        assertNull(params.deliveryIntents)
    }

    @Test
    fun withoutSentIntentPassesNone() {
        SmsSender(sms, by153).send("+4512345678", "kort", null)

        val params = shadowOf(sms).lastSentMultipartTextMessageParams
        assertEquals(listOf("kort"), params.parts)
        assertNull(params.sentIntents)
    }
}
