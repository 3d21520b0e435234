package dk.brobygger.platform.android

import android.app.AlarmManager
import android.app.PendingIntent
import android.content.BroadcastReceiver
import android.content.Context
import android.content.Intent
import android.os.Build

/**
 * Wakes the app when the outbox's next reminder is due. One alarm at a time: the outbox always
 * knows its single next due time, so scheduling replaces the previous alarm (same request code).
 * Exact and allowed while idle, since a reminder two hours before an appointment must not drift;
 * when the user has not granted exact alarms (API 31+), an inexact one is better than none.
 */
class OutboxAlarm(
    private val context: Context,
    private val receiver: Class<out BroadcastReceiver>,
    private val alarms: AlarmManager = requireNotNull(context.getSystemService(AlarmManager::class.java)),
) {
    /** Schedules the wake-up at [atEpochMillis] (wall clock, UTC). Returns whether it is exact. */
    fun schedule(atEpochMillis: Long): Boolean {
        val exact = Build.VERSION.SDK_INT < Build.VERSION_CODES.S || alarms.canScheduleExactAlarms()
        if (exact) {
            alarms.setExactAndAllowWhileIdle(AlarmManager.RTC_WAKEUP, atEpochMillis, pendingIntent())
        } else {
            alarms.setAndAllowWhileIdle(AlarmManager.RTC_WAKEUP, atEpochMillis, pendingIntent())
        }
        return exact
    }

    fun cancel() = alarms.cancel(pendingIntent())

    private fun pendingIntent(): PendingIntent = PendingIntent.getBroadcast(
        context,
        REQUEST_CODE,
        Intent(context, receiver).setAction(ACTION),
        PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT,
    )

    companion object {
        const val ACTION = "dk.brobygger.action.OUTBOX_DUE"
        private const val REQUEST_CODE = 1
    }
}
