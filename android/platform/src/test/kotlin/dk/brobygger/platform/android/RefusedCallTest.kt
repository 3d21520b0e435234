package dk.brobygger.platform.android

import android.Manifest
import android.app.PendingIntent
import android.telephony.SmsManager
import android.telephony.SubscriptionManager
import dk.brobygger.core.SendOutcome
import java.util.concurrent.Executors
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import org.robolectric.annotation.Implementation
import org.robolectric.annotation.Implements
import org.robolectric.shadows.ShadowSmsManager
import org.robolectric.shadows.ShadowSubscriptionManager

/** A SmsManager whose send call throws, as the framework does when the permission is revoked mid-flight. */
@Implements(SmsManager::class)
class RefusingSmsManager : ShadowSmsManager() {
    @Implementation
    override fun sendMultipartTextMessage(
        destinationAddress: String?,
        scAddress: String?,
        parts: ArrayList<String>?,
        sentIntents: ArrayList<PendingIntent>?,
        deliveryIntents: ArrayList<PendingIntent>?,
    ) {
        throw SecurityException("Sending SMS message: uid does not have android.permission.SEND_SMS.")
    }
}

/** The send call itself throws: nothing reached the radio, so the text failed (never unknown) and nothing is left waiting. */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35], shadows = [RefusingSmsManager::class])
class RefusedCallTest {
    @Test
    fun aThrowingSendCallIsAFailureAndLeavesNoRecord() {
        val app = RuntimeEnvironment.getApplication()
        shadowOf(app).grantPermissions(Manifest.permission.SEND_SMS)
        val sim = ShadowSubscriptionManager.SubscriptionInfoBuilder.newBuilder().setId(SUB).setSimSlotIndex(0).buildSubscriptionInfo()
        shadowOf(app.getSystemService(SubscriptionManager::class.java)).setActiveSubscriptionInfos(sim)
        val tracker = SmsTracker(app)
        val sender = SmsManagerSender(app, SimChoice(app), tracker, { _, t -> arrayListOf(t) }, timeoutMillis = 5_000)
        val worker = Executors.newSingleThreadExecutor()
        val outcome = worker.submit<SendOutcome> { sender.send("0123456789abcdef0123456789abcdef", "+4520304050", "kort") }.get()
        worker.shutdown()
        assertEquals(SendOutcome.Failed(retryable = false, reason = "permission_denied"), outcome)
        assertNull("the hand-over was forgotten", app.getSharedPreferences(SmsTracker.PREFS, 0).all.values.firstOrNull())
    }
}
