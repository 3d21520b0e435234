package dk.brobygger.platform.android

import android.Manifest
import android.app.Activity
import android.app.PendingIntent
import android.content.Intent
import android.provider.Settings
import android.telephony.SmsManager
import android.telephony.SubscriptionManager
import dk.brobygger.core.SendOutcome
import dk.brobygger.core.SmsSenderException
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import java.util.concurrent.ExecutionException

/**
 * The sender against Robolectric's SmsManager and real broadcasts: what it hands the radio, and
 * how each combination of part reports becomes the outcome the core records.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35], application = TestApp::class)
class SmsManagerSenderTest {
    private val h = Harness()
    private val id = "0123456789abcdef0123456789abcdef"

    @After
    fun close() = h.close()

    private fun sendAsync(text: String) = h.onRunner { h.sender.send(id, "+4520304050", text) }

    @Test
    fun everyPartGetsItsOwnMutableExplicitSentAndDeliveryIntent() {
        val text = "x".repeat(400) // three parts
        val result = sendAsync(text)
        val params = h.handedToRadio()
        assertEquals("+4520304050", params.destinationAddress)
        assertEquals(text.chunked(153), params.parts)
        val sent = params.sentIntents!!
        val delivered = params.deliveryIntents!!
        assertEquals(3, sent.size)
        assertEquals(3, delivered.size)

        val all = sent + delivered
        assertEquals("no two PendingIntents collapse into one", 6, all.toSet().size)
        for ((i, pi) in all.withIndex()) {
            val shadow = shadowOf(pi)
            assertTrue(shadow.isBroadcast)
            assertFalse("telephony must be able to fill in extras", shadow.isImmutable)
            @Suppress("DEPRECATION")
            val intent = shadow.savedIntent
            val isSent = i < 3
            val receiver = if (isSent) SmsSentReceiver::class.java else SmsDeliveryReceiver::class.java
            assertEquals(receiver.name, intent.component!!.className)
            val ref = PartRef.of(intent.data)!!
            assertEquals(id, ref.reminderId)
            assertEquals(i % 3, ref.part)
            assertEquals("sent intents report once; delivery intents may report twice", isSent, shadow.flags and PendingIntent.FLAG_ONE_SHOT != 0)
        }
        // One hand-over, one token, shared by all six.
        assertEquals(1, all.map { PartRef.of(shadowOf(it).savedIntent.data)!!.token }.toSet().size)

        sent.forEach { h.report(it, Activity.RESULT_OK) }
        assertEquals(SendOutcome.Accepted, h.await(result))
    }

    @Test
    fun theFilledInErrorCodeArrives() {
        val result = sendAsync("kort")
        val sent = h.handedToRadio().sentIntents!!.single()
        h.report(sent, SmsManager.RESULT_ERROR_NO_SERVICE, Intent().putExtra(SmsSentReceiver.EXTRA_ERROR_CODE, 42))
        assertEquals(SendOutcome.Failed(retryable = true, reason = "no_service:42"), h.await(result))
    }

    @Test
    fun anImmutableIntentWouldHaveDroppedIt() {
        // The control for the test above: the same report through an immutable PendingIntent.
        val intent = Intent(h.app, SmsSentReceiver::class.java).setAction(SmsManagerSender.ACTION_SENT)
            .setData(SmsManagerSender.reportUri(SmsManagerSender.ACTION_SENT, id, h.tracker.begin(id, 1), 0))
        val immutable = PendingIntent.getBroadcast(h.app, 0, intent, PendingIntent.FLAG_IMMUTABLE)
        val ref = PartRef.of(intent.data)!!
        h.report(immutable, SmsManager.RESULT_ERROR_NO_SERVICE, Intent().putExtra(SmsSentReceiver.EXTRA_ERROR_CODE, 42))
        h.idle()
        assertEquals(PartSent(SmsManager.RESULT_ERROR_NO_SERVICE, -1), h.tracker.record(ref.token)!!.sent.single())
    }

    @Test
    fun somePartsSentIsFinalFailureNoneSentIsRetryableForRadioCodes() {
        val partial = sendAsync("y".repeat(300))
        val (first, second) = h.handedToRadio().sentIntents!!
        h.report(first, Activity.RESULT_OK)
        h.report(second, SmsManager.RESULT_ERROR_RADIO_OFF)
        assertEquals(SendOutcome.Failed(retryable = false, reason = "partially_sent:radio_off"), h.await(partial))

        val before = h.handedToRadio()
        val none = sendAsync("z".repeat(300))
        h.handedToRadio(before).sentIntents!!.forEach { h.report(it, SmsManager.RESULT_ERROR_RADIO_OFF) }
        assertEquals(SendOutcome.Failed(retryable = true, reason = "radio_off"), h.await(none))
    }

    @Test
    fun aRefusedTextIsFinal() {
        val result = sendAsync("kort")
        h.report(h.handedToRadio().sentIntents!!.single(), SmsManager.RESULT_ERROR_SHORT_CODE_NEVER_ALLOWED)
        assertEquals(SendOutcome.Failed(retryable = false, reason = "short_code_never_allowed"), h.await(result))
    }

    @Test
    fun noAnswerInTimeIsUnclear() {
        val quick = Harness(timeoutMillis = 300)
        try {
            val result = quick.onRunner { quick.sender.send(id, "+4520304050", "kort") }
            quick.handedToRadio()
            try {
                quick.await(result)
                fail("a sender without reports must not claim an outcome")
            } catch (e: ExecutionException) {
                assertEquals("timeout", (e.cause as SmsSenderException.Unclear).reason)
            }
        } finally {
            quick.close()
        }
    }

    @Test
    fun withoutPermissionSimOrRadioNothingIsHandedOver() {
        shadowOf(h.app).denyPermissions(Manifest.permission.SEND_SMS)
        assertEquals(SendOutcome.Failed(false, "permission_denied"), h.await(sendAsync("a")))
        shadowOf(h.app).grantPermissions(Manifest.permission.SEND_SMS)

        Settings.Global.putInt(h.app.contentResolver, Settings.Global.AIRPLANE_MODE_ON, 1)
        assertEquals(SendOutcome.Failed(true, "airplane_mode"), h.await(sendAsync("a")))
        Settings.Global.putInt(h.app.contentResolver, Settings.Global.AIRPLANE_MODE_ON, 0)

        shadowOf(h.app.getSystemService(SubscriptionManager::class.java)).setActiveSubscriptionInfos()
        assertEquals(SendOutcome.Failed(false, "no_sim"), h.await(sendAsync("a")))

        assertNull(shadowOf(h.sms).lastSentMultipartTextMessageParams)
        assertEquals(0, h.sends.get())
    }

    @Test
    fun sendingOnTheMainThreadIsRefused() {
        try {
            h.sender.send(id, "+4520304050", "kort")
            fail("the sender blocks: never on the main thread")
        } catch (e: IllegalStateException) {
            assertNotNull(e.message)
        }
    }
}
