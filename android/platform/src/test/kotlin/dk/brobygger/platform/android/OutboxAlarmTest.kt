package dk.brobygger.platform.android

import android.app.AlarmManager
import android.content.BroadcastReceiver
import android.content.Context
import android.content.Intent
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import org.robolectric.shadows.ShadowAlarmManager

@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35])
class OutboxAlarmTest {
    class DueReceiver : BroadcastReceiver() {
        override fun onReceive(context: Context, intent: Intent) = Unit
    }

    private val context = RuntimeEnvironment.getApplication()
    private val alarms = context.getSystemService(AlarmManager::class.java)
    private val shadow = shadowOf(alarms)

    @After
    fun restoreExactAlarms() = ShadowAlarmManager.setCanScheduleExactAlarms(true)

    @Test
    fun schedulesOneExactWakeUpAtTheDueTimeForTheReceiver() {
        ShadowAlarmManager.setCanScheduleExactAlarms(true)
        val alarm = OutboxAlarm(context, DueReceiver::class.java)
        val due = 1_767_000_000_000L

        assertTrue(alarm.schedule(due))

        val scheduled = shadow.peekNextScheduledAlarm()!!
        assertEquals(AlarmManager.RTC_WAKEUP, scheduled.getType())
        assertEquals(due, scheduled.triggerAtMs)
        assertEquals(ShadowAlarmManager.WINDOW_EXACT, scheduled.windowLengthMs)
        assertTrue(scheduled.isAllowWhileIdle)
        @Suppress("DEPRECATION") // The shadow has no getter for the operation yet.
        val intent = shadowOf(scheduled.operation).savedIntent
        assertEquals(DueReceiver::class.java.name, intent.component!!.className)
        assertEquals(OutboxAlarm.ACTION, intent.action)
    }

    @Test
    fun reschedulingReplacesAndCancelClears() {
        val alarm = OutboxAlarm(context, DueReceiver::class.java)
        alarm.schedule(2_000_000L)
        alarm.schedule(1_000_000L)
        assertEquals(listOf(1_000_000L), shadow.scheduledAlarms.map { it.triggerAtMs })

        alarm.cancel()
        assertNull(shadow.peekNextScheduledAlarm())
    }

    @Test
    fun withoutExactAlarmPermissionFallsBackToInexact() {
        ShadowAlarmManager.setCanScheduleExactAlarms(false)
        val alarm = OutboxAlarm(context, DueReceiver::class.java)

        assertFalse(alarm.schedule(3_000_000L))
        val scheduled = shadow.peekNextScheduledAlarm()!!
        assertEquals(3_000_000L, scheduled.triggerAtMs)
        assertEquals(ShadowAlarmManager.WINDOW_HEURISTIC, scheduled.windowLengthMs)
        assertTrue(scheduled.isAllowWhileIdle)
    }
}
