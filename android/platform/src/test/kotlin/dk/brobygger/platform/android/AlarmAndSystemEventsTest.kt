package dk.brobygger.platform.android

import android.app.AlarmManager
import android.app.NotificationManager
import android.app.job.JobScheduler
import android.content.Context
import android.content.Intent
import android.content.IntentFilter
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import org.robolectric.shadows.ShadowAlarmManager
import org.robolectric.shadows.ShadowJobScheduler

/** The one outbox alarm: exact or not, replaced not added, and set again after system events. */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [34, 35], application = TestApp::class)
class AlarmAndSystemEventsTest {
    private val h = Harness()
    private val alarms = shadowOf(h.app.getSystemService(AlarmManager::class.java))

    @After
    fun close() {
        ShadowAlarmManager.setCanScheduleExactAlarms(true)
        h.close()
    }

    private fun systemSends(action: String) {
        h.app.registerReceiver(SystemEventsReceiver(), IntentFilter(action), Context.RECEIVER_EXPORTED)
        h.app.sendBroadcast(Intent(action))
        h.idle()
        h.runner.submit {}.get()
    }

    @Test
    fun exactWhenAllowedInexactOtherwiseBothAllowedWhileIdle() {
        ShadowAlarmManager.setCanScheduleExactAlarms(true)
        assertTrue(h.alarm.schedule(3_000_000L))
        var a = alarms.peekNextScheduledAlarm()!!
        assertEquals(AlarmManager.RTC_WAKEUP, a.getType())
        assertEquals(ShadowAlarmManager.WINDOW_EXACT, a.windowLengthMs)
        assertTrue(a.isAllowWhileIdle)
        @Suppress("DEPRECATION") // the shadow has no getter for the operation yet
        val operation = a.operation
        @Suppress("DEPRECATION")
        val intent = shadowOf(operation).savedIntent
        assertEquals(OutboxAlarmReceiver::class.java.name, intent.component!!.className)
        assertTrue(shadowOf(operation).isImmutable)

        ShadowAlarmManager.setCanScheduleExactAlarms(false)
        assertFalse(h.alarm.schedule(2_000_000L))
        a = alarms.peekNextScheduledAlarm()!!
        assertEquals(ShadowAlarmManager.WINDOW_HEURISTIC, a.windowLengthMs)
        assertTrue(a.isAllowWhileIdle)
        assertEquals("replaced, not added", listOf(2_000_000L), alarms.scheduledAlarms.map { it.triggerAtMs })
        h.alarm.cancel()
        assertNull(alarms.peekNextScheduledAlarm())
    }

    @Test
    fun reArmedFromTheCoreOnBootUpdateClockZoneAndPermissionChanges() {
        val booking = h.book("2026-03-31T10:00")
        val first = booking.reminders[0].reminder.sendAt.toEpochMilli()
        for (action in listOf(
            Intent.ACTION_BOOT_COMPLETED,
            Intent.ACTION_MY_PACKAGE_REPLACED,
            Intent.ACTION_TIME_CHANGED,
            Intent.ACTION_TIMEZONE_CHANGED,
            AlarmManager.ACTION_SCHEDULE_EXACT_ALARM_PERMISSION_STATE_CHANGED,
        )) {
            h.alarm.cancel() // alarms do not survive a restart
            systemSends(action)
            assertEquals(action, first, alarms.peekNextScheduledAlarm()?.triggerAtMs)
        }
        // Nothing pending: no alarm.
        h.vault!!.cancelAppointment(booking.appointment.id, dk.brobygger.core.CancelledBy.WORKER)
        systemSends(Intent.ACTION_TIME_CHANGED)
        assertNull(alarms.peekNextScheduledAlarm())
    }

    @Test
    fun beforeTheFirstUnlockOnlyANotification() {
        java.util.Locale.setDefault(java.util.Locale.forLanguageTag("da-DK"))
        h.vault = null // the vault's files cannot be read yet; the receiver must not try
        h.app.outbox = Outbox({ error("the vault was touched before the first unlock") }, h.sender, h.tracker, h.alarm, h.notifier, h.jobs, h.runner, h.reports)
        systemSends(Intent.ACTION_LOCKED_BOOT_COMPLETED)
        val shown = shadowOf(h.app.getSystemService(NotificationManager::class.java)).allNotifications.single()
        assertEquals("Lås telefonen op én gang, så påmindelser kan blive sendt.", shown.extras.getCharSequence("android.text").toString())
        assertNull(alarms.peekNextScheduledAlarm())
    }

    @Test
    fun theAlarmAsksForAnExpeditedJobAndFallsBackWithoutQuota() {
        val scheduler = h.app.getSystemService(JobScheduler::class.java)!!
        h.alarm.schedule(1_000L)
        alarms.fireAlarm(alarms.peekNextScheduledAlarm()!!)
        h.idle()
        assertTrue(scheduler.getPendingJob(OutboxJobs.JOB_ID)!!.isExpedited)
        scheduler.cancelAll()
        (shadowOf(scheduler) as ShadowJobScheduler).failExpeditedJob(true)
        h.jobs.runSoon()
        val job = scheduler.getPendingJob(OutboxJobs.JOB_ID)!!
        assertFalse(job.isExpedited)
    }
}
