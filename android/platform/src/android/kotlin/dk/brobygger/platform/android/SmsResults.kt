package dk.brobygger.platform.android

import android.app.Activity
import android.telephony.SmsManager
import android.telephony.SmsMessage
import dk.brobygger.core.SendOutcome

/**
 * What the radio said about one part of a text: the sent broadcast's result code and the
 * `errorCode` extra telephony fills in (the modem's own code, or -1).
 */
data class PartSent(val resultCode: Int, val errorCode: Int = -1) {
    val ok: Boolean get() = resultCode == Activity.RESULT_OK
}

/** A part's delivery as its status report (TP-Status) says. */
enum class DeliveryStatus { DELIVERED, PENDING, FAILED }

/**
 * The outcome the core records for a text whose parts all reported.
 * - every part sent: accepted;
 * - no part sent: failed with the first part's code, retryable when the code says the radio or
 *   network was not there (airplane mode, no service), so nothing went out and a later try may work;
 * - some parts sent, some not: failed and final, since sending again would repeat the parts that
 *   went out (`partially_sent:<code>`).
 */
fun outcomeOf(parts: List<PartSent>): SendOutcome {
    val failed = parts.filterNot { it.ok }
    if (failed.isEmpty()) return SendOutcome.Accepted
    val first = failed.first()
    return if (failed.size == parts.size) {
        SendOutcome.Failed(retryable = first.resultCode in RETRYABLE, reason = reasonOf(first))
    } else {
        SendOutcome.Failed(retryable = false, reason = "$PARTIAL:${codeName(first.resultCode)}")
    }
}

/** The reason code stored with a failed reminder: the result's name, and the modem's code when known. */
fun reasonOf(part: PartSent): String {
    val name = codeName(part.resultCode)
    return if (part.errorCode in 0..9999) "$name:${part.errorCode}" else name
}

const val PARTIAL = "partially_sent"

/**
 * Names for SmsManager's result codes, as the core's message catalogue knows them (without
 * Android's `RESULT_ERROR_` prefix). The RIL variants name the same failures.
 */
fun codeName(code: Int): String = when (code) {
    Activity.RESULT_OK -> "ok"
    SmsManager.RESULT_ERROR_GENERIC_FAILURE -> "generic_failure"
    SmsManager.RESULT_ERROR_RADIO_OFF -> "radio_off"
    SmsManager.RESULT_ERROR_NULL_PDU -> "null_pdu"
    SmsManager.RESULT_ERROR_NO_SERVICE -> "no_service"
    SmsManager.RESULT_ERROR_LIMIT_EXCEEDED -> "limit_exceeded"
    SmsManager.RESULT_ERROR_SHORT_CODE_NOT_ALLOWED -> "short_code_not_allowed"
    SmsManager.RESULT_ERROR_SHORT_CODE_NEVER_ALLOWED -> "short_code_never_allowed"
    SmsManager.RESULT_RADIO_NOT_AVAILABLE, SmsManager.RESULT_RIL_RADIO_NOT_AVAILABLE -> "radio_not_available"
    SmsManager.RESULT_NETWORK_REJECT, SmsManager.RESULT_RIL_NETWORK_REJECT -> "network_reject"
    SmsManager.RESULT_INVALID_ARGUMENTS, SmsManager.RESULT_RIL_INVALID_ARGUMENTS -> "invalid_arguments"
    SmsManager.RESULT_INVALID_STATE, SmsManager.RESULT_RIL_INVALID_STATE -> "invalid_state"
    SmsManager.RESULT_NO_MEMORY, SmsManager.RESULT_RIL_NO_MEMORY -> "no_memory"
    SmsManager.RESULT_INVALID_SMS_FORMAT, SmsManager.RESULT_RIL_INVALID_SMS_FORMAT -> "invalid_sms_format"
    SmsManager.RESULT_SYSTEM_ERROR, SmsManager.RESULT_RIL_SYSTEM_ERR -> "system_error"
    SmsManager.RESULT_MODEM_ERROR, SmsManager.RESULT_RIL_MODEM_ERR -> "modem_error"
    SmsManager.RESULT_NETWORK_ERROR, SmsManager.RESULT_RIL_NETWORK_ERR -> "network_error"
    SmsManager.RESULT_ENCODING_ERROR, SmsManager.RESULT_RIL_ENCODING_ERR -> "encoding_error"
    SmsManager.RESULT_INVALID_SMSC_ADDRESS, SmsManager.RESULT_RIL_INVALID_SMSC_ADDRESS -> "invalid_smsc_address"
    SmsManager.RESULT_OPERATION_NOT_ALLOWED, SmsManager.RESULT_RIL_OPERATION_NOT_ALLOWED -> "operation_not_allowed"
    SmsManager.RESULT_INTERNAL_ERROR, SmsManager.RESULT_RIL_INTERNAL_ERR -> "internal_error"
    SmsManager.RESULT_REQUEST_NOT_SUPPORTED, SmsManager.RESULT_RIL_REQUEST_NOT_SUPPORTED -> "request_not_supported"
    SmsManager.RESULT_RIL_NETWORK_NOT_READY -> "no_service"
    SmsManager.RESULT_RIL_SIM_ABSENT -> "no_sim"
    else -> "error_$code"
}

/**
 * Codes after which nothing went out and a later try may work: the radio is off (airplane mode),
 * there is no service or network, or the modem asked for a retry. The core retries with back-off
 * (1, 5, 15, 60 minutes) while the appointment is far enough ahead, then shows it as failed.
 */
val RETRYABLE: Set<Int> = setOf(
    SmsManager.RESULT_ERROR_GENERIC_FAILURE,
    SmsManager.RESULT_ERROR_RADIO_OFF,
    SmsManager.RESULT_ERROR_NO_SERVICE,
    SmsManager.RESULT_RADIO_NOT_AVAILABLE,
    SmsManager.RESULT_RIL_RADIO_NOT_AVAILABLE,
    SmsManager.RESULT_NETWORK_ERROR,
    SmsManager.RESULT_RIL_NETWORK_ERR,
    SmsManager.RESULT_RIL_NETWORK_NOT_READY,
    SmsManager.RESULT_RIL_SMS_SEND_FAIL_RETRY,
    SmsManager.RESULT_SMS_SEND_RETRY_FAILED,
)

/**
 * A status report's TP-Status (3GPP TS 23.040 §9.2.3.15) as a delivery: 0x00–0x1F the short
 * message centre completed it; 0x20–0x3F it is still trying; anything else is final failure.
 * 3GPP2 (CDMA) reports carry an error class instead (0 none, 2 temporary, 3 permanent).
 */
fun deliveryStatusOf(pdu: ByteArray?, format: String?): DeliveryStatus? {
    if (pdu == null || format == null) return null
    val message = try {
        SmsMessage.createFromPdu(pdu, format)
    } catch (e: RuntimeException) {
        null
    } ?: return null
    val status = message.status
    return if (format == "3gpp2") {
        when ((status ushr 24) and 0x03) {
            0 -> DeliveryStatus.DELIVERED
            2 -> DeliveryStatus.PENDING
            else -> DeliveryStatus.FAILED
        }
    } else {
        when (status) {
            in 0x00..0x1F -> DeliveryStatus.DELIVERED
            in 0x20..0x3F -> DeliveryStatus.PENDING
            else -> DeliveryStatus.FAILED
        }
    }
}
