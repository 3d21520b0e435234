package dk.brobygger.platform.android

import android.content.Context
import android.content.SharedPreferences
import android.telephony.SmsManager
import android.telephony.SubscriptionManager
import android.telephony.TelephonyManager

/** A SIM the phone has now: its subscription id, slot and the carrier's name (nothing personal). */
data class Sim(val subscriptionId: Int, val slot: Int, val carrier: String)

/**
 * Which SIM the reminders go out from. On a dual-SIM work phone the worker picks one once and
 * it is stored; until then the phone's default SMS SIM (or the only SIM) is taken and stored,
 * so later texts never wander to the other SIM when the default changes.
 *
 * Listing SIMs needs READ_PHONE_STATE (the municipality's MDM grants it); without it only the
 * default SMS subscription is known.
 */
class SimChoice(private val context: Context, private val prefs: SharedPreferences) {
    constructor(context: Context) : this(context, context.getSharedPreferences(PREFS, Context.MODE_PRIVATE))

    sealed interface Resolved {
        data class Ready(val subscriptionId: Int, val manager: SmsManager) : Resolved
        data object NoSim : Resolved
    }

    private val subscriptions get() = context.getSystemService(SubscriptionManager::class.java)
    private val telephony get() = context.getSystemService(TelephonyManager::class.java)

    /** The active SIMs, or null when the phone does not let the app list them. */
    fun sims(): List<Sim>? = try {
        subscriptions?.activeSubscriptionInfoList.orEmpty().map {
            Sim(it.subscriptionId, it.simSlotIndex, it.carrierName?.toString().orEmpty())
        }
    } catch (e: SecurityException) {
        null
    }

    fun chosen(): Int? = prefs.getInt(KEY, INVALID).takeIf { it != INVALID }

    fun choose(subscriptionId: Int) {
        prefs.edit().putInt(KEY, subscriptionId).commit()
    }

    /** The SmsManager to send with, or [Resolved.NoSim]. */
    fun resolve(): Resolved {
        val sims = sims()
        val id = chosen()
            ?: SubscriptionManager.getDefaultSmsSubscriptionId().takeIf { it != INVALID }
            ?: sims?.singleOrNull()?.subscriptionId
            ?: return Resolved.NoSim
        when {
            // The chosen SIM was taken out (or the list is known to be empty).
            sims != null && sims.none { it.subscriptionId == id } -> return Resolved.NoSim
            sims == null && telephony?.simState == TelephonyManager.SIM_STATE_ABSENT -> return Resolved.NoSim
        }
        if (chosen() == null) choose(id)
        @Suppress("DEPRECATION") // createForSubscriptionId needs a SmsManager from getSystemService, absent on some builds.
        return Resolved.Ready(id, SmsManager.getSmsManagerForSubscriptionId(id))
    }

    companion object {
        const val PREFS = "brobygger_sms_sim"
        private const val KEY = "subscription_id"
        private const val INVALID = SubscriptionManager.INVALID_SUBSCRIPTION_ID
    }
}
