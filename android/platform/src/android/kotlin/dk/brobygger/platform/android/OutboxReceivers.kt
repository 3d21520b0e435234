package dk.brobygger.platform.android

import android.app.AlarmManager
import android.app.job.JobParameters
import android.app.job.JobService
import android.content.BroadcastReceiver
import android.content.Context
import android.content.Intent
import java.util.concurrent.Executor

/** Runs [block] on [executor] and keeps the broadcast alive until it is done. */
private fun BroadcastReceiver.inBackground(executor: Executor, block: () -> Unit) {
    val pending = goAsync()
    executor.execute {
        try {
            block()
        } finally {
            pending.finish()
        }
    }
}

/** The outbox alarm went off: start a run as a job (it may wait minutes for the radio). */
class OutboxAlarmReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        if (intent.action == OutboxAlarm.ACTION) context.outbox().jobs.runSoon()
    }
}

/** The job the alarm starts: one outbox run, off the main thread. */
class OutboxJobService : JobService() {
    override fun onStartJob(params: JobParameters): Boolean {
        start { jobFinished(params, false) }
        return true
    }

    /** The run in progress finishes on its own (the core's claims keep it honest); the alarm brings the rest. */
    override fun onStopJob(params: JobParameters): Boolean = false

    fun start(done: () -> Unit) {
        val outbox = outbox()
        outbox.runner.execute {
            try {
                outbox.run()
            } finally {
                done()
            }
        }
    }
}

/**
 * Alarms do not survive a restart, and a clock, zone or exact-alarm permission change moves
 * what the alarm should be: re-arm from the core after each. Before the first unlock after a
 * restart (LOCKED_BOOT_COMPLETED) the vault's files cannot be read: only say so.
 */
class SystemEventsReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        when (intent.action) {
            Intent.ACTION_LOCKED_BOOT_COMPLETED -> OutboxNotifier(context).unlockToSend()
            Intent.ACTION_BOOT_COMPLETED,
            Intent.ACTION_MY_PACKAGE_REPLACED,
            Intent.ACTION_TIME_CHANGED,
            Intent.ACTION_TIMEZONE_CHANGED,
            AlarmManager.ACTION_SCHEDULE_EXACT_ALARM_PERMISSION_STATE_CHANGED,
            -> {
                val outbox = context.outbox()
                val boot = intent.action == Intent.ACTION_BOOT_COMPLETED
                inBackground(outbox.runner) { outbox.onSystemChange(bootCompleted = boot) }
            }
        }
    }
}

/** A part's sent report from telephony (result code, `errorCode` extra). Not exported. */
class SmsSentReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        if (intent.action != SmsManagerSender.ACTION_SENT) return
        val ref = PartRef.of(intent.data) ?: return
        val result = PartSent(resultCode, intent.getIntExtra(EXTRA_ERROR_CODE, -1))
        val outbox = context.outbox()
        inBackground(outbox.reports) { outbox.onSent(ref, result) }
    }

    companion object {
        const val EXTRA_ERROR_CODE = "errorCode"
    }
}

/** A part's delivery report from the network (the status report PDU and its format). Not exported. */
class SmsDeliveryReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        if (intent.action != SmsManagerSender.ACTION_DELIVERED) return
        val ref = PartRef.of(intent.data) ?: return
        val status = deliveryStatusOf(intent.getByteArrayExtra(EXTRA_PDU), intent.getStringExtra(EXTRA_FORMAT)) ?: return
        val outbox = context.outbox()
        inBackground(outbox.reports) { outbox.onDelivery(ref, status) }
    }

    companion object {
        const val EXTRA_PDU = "pdu"
        const val EXTRA_FORMAT = "format"
    }
}
