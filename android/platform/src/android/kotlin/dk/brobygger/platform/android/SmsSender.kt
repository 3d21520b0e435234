package dk.brobygger.platform.android

import android.app.PendingIntent
import android.telephony.SmsManager

/**
 * Cuts a text into the parts the carrier will get. On a device: [SmsManager.divideMessage]. Injected
 * because Robolectric's SmsManager cannot divide, and so tests can pin the parts.
 */
fun interface SmsSplitter {
    fun split(text: String): ArrayList<String>

    companion object {
        fun of(sms: SmsManager) = SmsSplitter { sms.divideMessage(it) }
    }
}

/**
 * Hands one reminder text to the radio as a single multipart message, so the phone joins the parts.
 * [sent] (when given) fires once per part with the part's result code.
 */
class SmsSender(private val sms: SmsManager, private val splitter: SmsSplitter = SmsSplitter.of(sms)) {
    /** Sends [text] to [destination] (E.164) and returns how many parts went to the radio. */
    fun send(destination: String, text: String, sent: PendingIntent?): Int {
        val parts = splitter.split(text)
        val sentIntents = sent?.let { intent -> ArrayList(List(parts.size) { intent }) }
        sms.sendMultipartTextMessage(destination, null, parts, sentIntents, null)
        return parts.size
    }
}
