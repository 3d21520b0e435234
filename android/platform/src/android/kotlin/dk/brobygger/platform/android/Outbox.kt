package dk.brobygger.platform.android

import android.app.job.JobInfo
import android.app.job.JobScheduler
import android.content.ComponentName
import android.content.Context
import android.telephony.SmsManager
import android.util.Log
import dk.brobygger.core.BrobyggerException
import dk.brobygger.core.OutboxRun
import dk.brobygger.core.SendOutcome
import dk.brobygger.core.SmsSender
import dk.brobygger.core.Vault
import dk.brobygger.core.errorCode
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors

/** The app's Application implements this, so receivers and the job service find the process's [Outbox]. */
interface OutboxHost {
    val outbox: Outbox
}

internal fun Context.outbox(): Outbox = (applicationContext as OutboxHost).outbox

/**
 * The background side of reminders: runs the core's outbox with the phone's sender, keeps the
 * one alarm set at the core's next send time, records sent and delivery reports (also those
 * that arrive after the app was killed), and tells the worker when a reminder needs them.
 *
 * Nothing here runs on the main thread: runs and re-arms go to [runner], reports to [reports]
 * (a separate thread, because a run waits in the sender for exactly these reports).
 * [vault] gives the process's one [Vault] (opened locked; the outbox needs no PIN), or null
 * when no vault has been set up.
 */
class Outbox(
    private val vault: () -> Vault?,
    private val sender: SmsSender,
    private val tracker: SmsTracker,
    private val alarm: OutboxAlarm,
    private val notifier: OutboxNotifier,
    val jobs: OutboxJobs,
    val runner: ExecutorService = Executors.newSingleThreadExecutor { Thread(it, "brobygger-outbox") },
    val reports: ExecutorService = Executors.newSingleThreadExecutor { Thread(it, "brobygger-sms-reports") },
    private val batch: UInt = 10u,
    private val now: () -> Long = System::currentTimeMillis,
    /** The core wiped the vault after its days without an unlock: the app forgets its Vault. */
    private val onWiped: () -> Unit = {},
) {
    private val runLock = Any()

    /** Hands due reminders to the sender, then re-arms. Blocks; never on the main thread. */
    fun run(): OutboxRun? = synchronized(runLock) {
        checkNotMainThread()
        val v = vault() ?: run {
            alarm.cancel()
            return null
        }
        // The background job is where days without an unlock run out while the app is closed.
        if (wipedForInactivity(v)) {
            alarm.cancel()
            return null
        }
        val result = try {
            v.runOutbox(sender, batch)
        } catch (e: BrobyggerException.PlatformKeysMissing) {
            notifier.outboxKeyMissing()
            null
        } catch (e: BrobyggerException) {
            Log.w(TAG, "outbox run failed: ${errorCode(e)}")
            null
        }
        if (result != null) {
            val needWorker = result.failed + result.unknown + result.tooLate
            if (needWorker > 0u) notifier.remindersNeedWorker(needWorker.toInt())
        }
        flushDeliveries(v)
        tracker.prune()
        // A run that could not send (key store gone, disk full) leaves its reminders due: wait a
        // while before the next try instead of waking the phone again at once, over and over.
        rearm(v, notBefore = if (result == null) now() + RETRY_AFTER_FAILED_RUN_MILLIS else null)
        if ((result?.leftForNextRun ?: 0u) > 0u) jobs.runSoon()
        result
    }

    /** Lets the core wipe the vault when its days without an unlock have run out; true when it did. */
    private fun wipedForInactivity(v: Vault): Boolean = try {
        v.enforceInactivityWipe().also { if (it) onWiped() }
    } catch (e: BrobyggerException) {
        Log.w(TAG, "inactivity check failed: ${errorCode(e)}")
        false
    }

    /** Sets the alarm at the core's next send time, or clears it. Blocks; never on the main thread. */
    fun rearm() {
        checkNotMainThread()
        val v = vault() ?: return alarm.cancel()
        rearm(v)
    }

    private fun rearm(v: Vault, notBefore: Long? = null) {
        val next = try {
            v.nextOutboxRunAt()
        } catch (e: BrobyggerException) {
            Log.w(TAG, "next outbox time unknown: ${errorCode(e)}")
            null
        }
        if (next == null) alarm.cancel() else alarm.schedule(maxOf(next.toEpochMilli(), notBefore ?: Long.MIN_VALUE))
    }

    /** A part's sent report. Blocks; runs on [reports]. */
    fun onSent(ref: PartRef, result: PartSent) {
        checkNotMainThread()
        // Usually a sender in this process waits for it and the core records its answer.
        val late = tracker.sent(ref.token, ref.part, result) ?: return
        // Nobody waits: the app was killed after the hand-over, or the sender gave up (timeout).
        val v = vault() ?: return
        val ok = late.sent.all { it?.ok == true }
        // Why not, in the same codes the sender gives (a part with no report counts as failed).
        val reason = (outcomeOf(late.sent.map { it ?: PartSent(SmsManager.RESULT_ERROR_GENERIC_FAILURE) }) as? SendOutcome.Failed)?.reason
        try {
            v.recordSendResult(late.reminderId, ok, reason)
            if (!ok) notifier.remindersNeedWorker(1)
        } catch (e: BrobyggerException) {
            // Already settled by the worker (resend or drop) or unknown for good: it stays as shown.
            Log.i(TAG, "late sent report not recorded: ${errorCode(e)}")
        }
        tracker.markSentRecorded(late.token)
        tracker.record(late.token)?.takeIf { it.deliverySettled && !it.deliveryRecorded }?.let { recordDelivery(v, it, last = true) }
        rearm(v)
    }

    /** A part's delivery report. Blocks; runs on [reports]. */
    fun onDelivery(ref: PartRef, status: DeliveryStatus) {
        checkNotMainThread()
        val settled = tracker.delivered(ref.token, ref.part, status) ?: return
        val v = vault() ?: return
        recordDelivery(v, settled, last = false)
    }

    /** After the first unlock, an update, a clock or zone change, or an exact-alarm permission change. */
    fun onSystemChange(bootCompleted: Boolean) {
        if (bootCompleted) notifier.clearUnlockToSend()
        rearm()
    }

    private fun flushDeliveries(v: Vault) {
        for (r in tracker.unrecordedDeliveries()) if (r.sentRecorded) recordDelivery(v, r, last = true)
    }

    /**
     * Records a settled delivery. The core takes it only for a sent reminder: a report that beats
     * the outbox's own "sent" (the run still holds the claim) is kept and tried again after the
     * run ([last] false); after that it is dropped.
     */
    private fun recordDelivery(v: Vault, r: SendRecord, last: Boolean) {
        try {
            v.recordDelivery(r.reminderId, r.allDelivered)
            if (!r.allDelivered) notifier.remindersNeedWorker(1)
        } catch (e: BrobyggerException.InvalidState) {
            if (!last) return
            Log.i(TAG, "delivery report not recorded: the reminder is not sent")
        } catch (e: BrobyggerException) {
            Log.w(TAG, "delivery report not recorded: ${errorCode(e)}")
        }
        tracker.markDeliveryRecorded(r.token)
    }

    private companion object {
        const val TAG = "BrobyggerOutbox"
        const val RETRY_AFTER_FAILED_RUN_MILLIS = 15 * 60_000L
    }
}

/**
 * Starts an outbox run as a job, so it may wait for the radio for minutes (a broadcast
 * receiver gets seconds). Expedited: it starts at once, also in Doze, right after the alarm;
 * without expedited quota left, an ordinary job with a short deadline.
 */
open class OutboxJobs(private val context: Context) {
    open fun runSoon() {
        val scheduler = requireNotNull(context.getSystemService(JobScheduler::class.java))
        val component = ComponentName(context, OutboxJobService::class.java)
        val expedited = JobInfo.Builder(JOB_ID, component).setExpedited(true).build()
        if (scheduler.schedule(expedited) != JobScheduler.RESULT_SUCCESS) {
            scheduler.schedule(JobInfo.Builder(JOB_ID, component).setOverrideDeadline(DEADLINE_MILLIS).build())
        }
    }

    companion object {
        const val JOB_ID = 4711
        private const val DEADLINE_MILLIS = 10_000L
    }
}
