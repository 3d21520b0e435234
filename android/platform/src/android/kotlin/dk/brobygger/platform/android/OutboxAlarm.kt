package dk.brobygger.platform.android

import android.app.AlarmManager
import android.app.PendingIntent
import android.content.Context
import android.content.Intent

/**
 * Wakes the app when the outbox next has something to do. One alarm at a time: the core always
 * knows its single next time ([dk.brobygger.core.Vault.nextOutboxRunAt]), so scheduling
 * replaces the previous alarm (same PendingIntent). Exact and allowed while idle when the app
 * may schedule exact alarms, since a reminder two hours before an appointment must not drift;
 * otherwise (the permission revoked) an inexact one allowed while idle, which is late by
 * minutes rather than never.
 */
class OutboxAlarm(
    private val context: Context,
    private val alarms: AlarmManager = requireNotNull(context.getSystemService(AlarmManager::class.java)),
) {
    /** Schedules the wake-up at [atEpochMillis] (UTC). Returns whether it is exact. */
    fun schedule(atEpochMillis: Long): Boolean {
        val exact = alarms.canScheduleExactAlarms()
        if (exact) {
            alarms.setExactAndAllowWhileIdle(AlarmManager.RTC_WAKEUP, atEpochMillis, pendingIntent())
        } else {
            alarms.setAndAllowWhileIdle(AlarmManager.RTC_WAKEUP, atEpochMillis, pendingIntent())
        }
        return exact
    }

    fun cancel() = alarms.cancel(pendingIntent())

    /** Whether reminders go out on the minute (the worker is told when not). */
    fun exactAllowed(): Boolean = alarms.canScheduleExactAlarms()

    private fun pendingIntent(): PendingIntent = PendingIntent.getBroadcast(
        context,
        REQUEST_CODE,
        Intent(context, OutboxAlarmReceiver::class.java).setAction(ACTION),
        PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT,
    )

    companion object {
        const val ACTION = "dk.brobygger.action.OUTBOX_DUE"
        private const val REQUEST_CODE = 1
    }
}
