package dk.brobygger.platform.android

import android.Manifest
import android.app.PendingIntent
import android.content.Context
import android.content.Intent
import android.content.pm.PackageManager
import android.net.Uri
import android.provider.Settings
import android.telephony.SmsManager
import android.util.Log
import dk.brobygger.core.SendOutcome
import dk.brobygger.core.SmsSender
import dk.brobygger.core.SmsSenderException
import java.util.concurrent.TimeUnit

/**
 * Cuts a text into the parts the carrier will get. On a phone: [SmsManager.divideMessage].
 * Injected because Robolectric's SmsManager cannot divide, and so tests can choose the parts.
 */
fun interface SmsSplitter {
    fun split(manager: SmsManager, text: String): ArrayList<String>

    companion object {
        val PLATFORM = SmsSplitter { manager, text -> manager.divideMessage(text) }
    }
}

/**
 * The core's [SmsSender] over Android's SmsManager: one multipart message per reminder, from
 * the SIM in [sims], with one sent and one delivery PendingIntent per part.
 *
 * Each PendingIntent is explicit (our receiver), carries a data URI naming the reminder, the
 * hand-over's token and the part (`brobygger-sms://sent/<reminder>/<token>/<part>`), so no two
 * ever collapse into one, and is FLAG_MUTABLE, because telephony fills in the `errorCode` extra
 * and the delivery report's `pdu` and `format`, which an immutable intent would drop. Sent
 * intents are one-shot (one report each); delivery intents are not (a report may say "still
 * trying" before the final one).
 *
 * [send] blocks its (background) thread until every part has reported, or [timeoutMillis]
 * passed, well inside the core's 5-minute claim lease. Outcomes:
 * - no SEND_SMS permission, airplane mode, no SIM, or the call itself throws: failed (nothing
 *   went out; airplane mode is retryable);
 * - reports: see [outcomeOf] (all sent: accepted; none: failed, retryable for radio codes; some:
 *   failed and final);
 * - no answer in time: [SmsSenderException.Unclear] `timeout`, which the core keeps as unknown
 *   for the worker (never resent by itself).
 */
class SmsManagerSender(
    private val context: Context,
    private val sims: SimChoice,
    private val tracker: SmsTracker,
    private val splitter: SmsSplitter = SmsSplitter.PLATFORM,
    private val timeoutMillis: Long = TimeUnit.MINUTES.toMillis(2),
) : SmsSender {
    override fun send(reminderId: String, number: String, text: String): SendOutcome {
        checkNotMainThread()
        if (context.checkSelfPermission(Manifest.permission.SEND_SMS) != PackageManager.PERMISSION_GRANTED) {
            return SendOutcome.Failed(retryable = false, reason = "permission_denied")
        }
        if (Settings.Global.getInt(context.contentResolver, Settings.Global.AIRPLANE_MODE_ON, 0) != 0) {
            return SendOutcome.Failed(retryable = true, reason = "airplane_mode")
        }
        val manager = when (val sim = sims.resolve()) {
            is SimChoice.Resolved.Ready -> sim.manager
            SimChoice.Resolved.NoSim -> return SendOutcome.Failed(retryable = false, reason = "no_sim")
        }
        val parts = try {
            splitter.split(manager, text)
        } catch (e: RuntimeException) {
            return SendOutcome.Failed(retryable = false, reason = "invalid_sms_format")
        }
        if (parts.isEmpty()) return SendOutcome.Failed(retryable = false, reason = "invalid_sms_format")

        val token = tracker.begin(reminderId, parts.size)
        val sent = ArrayList(parts.indices.map { reportIntent(ACTION_SENT, reminderId, token, it, oneShot = true) })
        val delivered = ArrayList(parts.indices.map { reportIntent(ACTION_DELIVERED, reminderId, token, it, oneShot = false) })
        try {
            manager.sendMultipartTextMessage(number, null, parts, sent, delivered)
        } catch (e: RuntimeException) {
            // Thrown before anything reached the radio: nothing went out.
            tracker.abandon(token)
            Log.w(TAG, "sendMultipartTextMessage threw ${e.javaClass.simpleName}")
            val reason = when (e) {
                is SecurityException -> "permission_denied"
                is IllegalArgumentException -> "invalid_arguments"
                else -> "sender_failed"
            }
            return SendOutcome.Failed(retryable = false, reason = reason)
        }
        val record = tracker.await(token, timeoutMillis)
            ?: throw SmsSenderException.Unclear("timeout")
        tracker.markSentRecorded(token)
        return outcomeOf(record.sent.map { requireNotNull(it) })
    }

    private fun reportIntent(action: String, reminderId: String, token: String, part: Int, oneShot: Boolean): PendingIntent {
        val receiver = if (action == ACTION_SENT) SmsSentReceiver::class.java else SmsDeliveryReceiver::class.java
        val intent = Intent(context, receiver).setAction(action).setData(reportUri(action, reminderId, token, part))
        val flags = PendingIntent.FLAG_MUTABLE or (if (oneShot) PendingIntent.FLAG_ONE_SHOT else 0)
        return PendingIntent.getBroadcast(context, 0, intent, flags)
    }

    companion object {
        const val ACTION_SENT = "dk.brobygger.action.SMS_SENT"
        const val ACTION_DELIVERED = "dk.brobygger.action.SMS_DELIVERED"
        const val SCHEME = "brobygger-sms"
        private const val TAG = "BrobyggerSms"

        fun reportUri(action: String, reminderId: String, token: String, part: Int): Uri =
            Uri.Builder().scheme(SCHEME).authority(if (action == ACTION_SENT) "sent" else "delivered")
                .appendPath(reminderId).appendPath(token).appendPath(part.toString()).build()
    }
}

/** Reminder id, token and part from a report intent's data URI. */
data class PartRef(val reminderId: String, val token: String, val part: Int) {
    companion object {
        fun of(uri: Uri?): PartRef? {
            if (uri?.scheme != SmsManagerSender.SCHEME) return null
            val p = uri.pathSegments
            if (p.size != 3) return null
            val part = p[2].toIntOrNull() ?: return null
            return PartRef(p[0], p[1], part)
        }
    }
}
