package dk.brobygger.platform.android

import android.app.Activity
import android.app.AlarmManager
import android.app.NotificationManager
import android.app.job.JobScheduler
import android.content.Intent
import dk.brobygger.core.AttentionItem
import dk.brobygger.core.ReminderState
import dk.brobygger.core.Resolution
import dk.brobygger.core.Vault
import dk.brobygger.platform.PlatformKeyStore
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import java.nio.file.Files
import java.nio.file.Paths
import java.nio.file.StandardCopyOption
import java.time.LocalDate
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit

/**
 * The real core end to end under Robolectric: a booking arms the alarm at the reminder's send
 * time; the vault is locked; the alarm fires, a job runs the outbox, the text goes to the radio,
 * the sent reports come back, the next alarm is set; the delivery reports come back and the
 * reminder is delivered. And what happens when the app dies in between.
 */
@RunWith(RobolectricTestRunner::class)


@Config(sdk = [34, 35], application = TestApp::class)
class OutboxEndToEndTest {
    private val h = Harness()
    private val alarms = shadowOf(h.app.getSystemService(AlarmManager::class.java))
    private val jobs get() = h.app.getSystemService(JobScheduler::class.java)!!
    private val notifications = shadowOf(h.app.getSystemService(NotificationManager::class.java))

    @After
    fun close() = h.close()

    private fun vault(): Vault = h.vault!!

    /** The state the worker would see (needs the PIN). */
    private fun states(appointmentId: String): List<ReminderState> {
        if (!vault().isUnlocked()) vault().unlock(PIN)
        return vault().listReminders(appointmentId).map { it.state }
    }

    /** What the system does when the outbox alarm goes off: the receiver asks for a job, the job runs. */
    private fun alarmFires(): CountDownLatch {
        val alarm = alarms.peekNextScheduledAlarm()!!
        alarms.fireAlarm(alarm)
        h.idle()
        val job = jobs.getPendingJob(OutboxJobs.JOB_ID)
        assertNotNull("the alarm asks for a job", job)
        assertTrue(job!!.isExpedited)
        val finished = CountDownLatch(1)
        val service = Robolectric.buildService(OutboxJobService::class.java).create().get()
        service.start { finished.countDown() }
        return finished
    }

    @Test
    fun bookAlarmLockedSendSentDelivered() {
        val booking = h.book("2026-03-31T10:00")
        val (dayBefore, hoursBefore) = booking.reminders.map { it.reminder }
        h.await(h.onRunner { h.outbox.rearm() })
        assertEquals("armed at the first send time", dayBefore.sendAt.toEpochMilli(), alarms.peekNextScheduledAlarm()!!.triggerAtMs)

        vault().lock()
        h.clock.now = dayBefore.sendAt
        val finished = alarmFires()

        val radio = h.handedToRadio()
        assertEquals("+4520304050", radio.destinationAddress)
        assertEquals(dayBefore.text, radio.parts.joinToString(""))
        radio.sentIntents!!.forEach { h.report(it, Activity.RESULT_OK) }
        while (!finished.await(5, TimeUnit.MILLISECONDS)) h.idle()

        assertFalse("the run needed no PIN", vault().isUnlocked())
        assertEquals("re-armed at the next send time", hoursBefore.sendAt.toEpochMilli(), alarms.peekNextScheduledAlarm()!!.triggerAtMs)

        // The network's status reports, one per part, with the PDU telephony fills in.
        radio.deliveryIntents!!.forEach {
            h.report(it, Activity.RESULT_OK, Intent().putExtra("pdu", statusReportPdu(0x00)).putExtra("format", "3gpp"))
        }
        h.idle()
        assertEquals(listOf(ReminderState.DELIVERED, ReminderState.PLANNED), states(booking.appointment.id))
        assertTrue("nothing for the worker to do", notifications.allNotifications.isEmpty())
    }

    @Test
    fun aFailedDeliveryIsShownAndAStillTryingReportChangesNothing() {
        val booking = h.book("2026-03-31T10:00")
        h.clock.now = booking.reminders[0].reminder.sendAt
        val run = h.onRunner { h.outbox.run() }
        val radio = h.handedToRadio()
        radio.sentIntents!!.forEach { h.report(it, Activity.RESULT_OK) }
        assertEquals(1u, h.await(run)!!.sent)
        val delivery = radio.deliveryIntents!!.single()
        h.report(delivery, Activity.RESULT_OK, Intent().putExtra("pdu", statusReportPdu(0x20)).putExtra("format", "3gpp"))
        h.idle()
        assertEquals(ReminderState.SENT, states(booking.appointment.id)[0])
        h.report(delivery, Activity.RESULT_OK, Intent().putExtra("pdu", statusReportPdu(0x41)).putExtra("format", "3gpp"))
        h.idle()
        val r = vault().listReminders(booking.appointment.id)[0]
        assertEquals(ReminderState.FAILED, r.state)
        assertEquals("not_delivered", r.reason)
        assertEquals(1, notifications.allNotifications.size)
    }

    @Test
    fun theAppDiesBetweenHandOverAndSentReport() {
        val booking = h.book("2026-03-31T10:00")
        val reminder = booking.reminders[0].reminder
        h.clock.now = reminder.sendAt
        vault().lock()
        // The process is killed while the radio has the text: the files as they are now are
        // what the next start finds.
        val crashed = Files.createTempDirectory("brobygger-crash").resolve("vault")
        Files.createDirectories(crashed)
        val old = h.onRunner { h.outbox.run() }
        val radio = h.handedToRadio()
        for (name in listOf("vault.db", "vault.db-wal")) {
            val f = Paths.get(h.dir, name)
            if (Files.exists(f)) Files.copy(f, crashed.resolve(name), StandardCopyOption.REPLACE_EXISTING)
        }
        // The new process: its own Vault on those files, its own outbox, no sender waiting.
        val restarted = Vault.open(crashed.toString(), PlatformKeyStore(h.keys), h.clock)
        val tracker = SmsTracker(h.app)
        val runner = java.util.concurrent.Executors.newSingleThreadExecutor()
        val outbox = Outbox({ restarted }, h.sender, tracker, h.alarm, h.notifier, h.jobs, runner, h.reports)
        h.app.outbox = outbox
        // Telephony's sent report reaches the new process.
        radio.sentIntents!!.forEach { h.report(it, Activity.RESULT_OK) }
        h.idle()
        restarted.unlock(PIN)
        val after = restarted.listReminders(booking.appointment.id)[0]
        assertEquals("the late report says it went out", ReminderState.SENT, after.state)
        // Never handed over twice: the next run of the new process sends nothing.
        val sendsBefore = h.sends.get()
        restarted.lock()
        h.await(runner.submit<Any?> { outbox.run() })
        assertEquals(sendsBefore, h.sends.get())
        // The old process never got its answer; it is gone (its run times out in the background).
        old.cancel(true)
        runner.shutdownNow()
    }

    @Test
    fun noAnswerInTimeIsUnknownForTheWorkerAndNeverResentByItself() {
        val quiet = Harness(timeoutMillis = 300)
        try {
            val booking = quiet.book("2026-03-31T10:00")
            quiet.clock.now = booking.reminders[0].reminder.sendAt
            val first = quiet.onRunner { quiet.outbox.run() }
            val radio = quiet.handedToRadio()
            assertEquals(1u, quiet.await(first)!!.unknown)
            val v = quiet.vault!!
            v.unlock(PIN)
            val r = v.listReminders(booking.appointment.id)[0]
            assertEquals(ReminderState.UNKNOWN, r.state)
            assertEquals(0u, quiet.await(quiet.onRunner { quiet.outbox.run() })!!.handedOver)
            v.resolveReminder(r.id, Resolution.RESEND)
            val resend = quiet.onRunner { quiet.outbox.run() }
            quiet.handedToRadio(radio).sentIntents!!.forEach { quiet.report(it, Activity.RESULT_OK) }
            assertEquals(1u, quiet.await(resend)!!.sent)
        } finally {
            quiet.close()
        }
    }

    @Test
    fun aReportAfterTheSenderGaveUpStillCounts() {
        val quick = Harness(timeoutMillis = 300)
        try {
            val booking = quick.book("2026-03-31T10:00")
            quick.clock.now = booking.reminders[0].reminder.sendAt
            val run = quick.onRunner { quick.outbox.run() }
            val radio = quick.handedToRadio()
            assertEquals(1u, quick.await(run)!!.unknown)
            val v = quick.vault!!
            v.unlock(PIN)
            val r = v.listReminders(booking.appointment.id)[0]
            assertEquals(ReminderState.UNKNOWN, r.state)
            assertEquals("sender_error: timeout", r.reason)
            assertTrue(v.today(LocalDate.of(2026, 3, 30)).attention.any { it is AttentionItem.ReminderUnknown })
            assertEquals(1, shadowOf(quick.app.getSystemService(NotificationManager::class.java)).allNotifications.size)

            // The report comes after all: the core takes it (the text did go out); nothing resent.
            radio.sentIntents!!.forEach { quick.report(it, Activity.RESULT_OK) }
            quick.idle()
            assertEquals(ReminderState.SENT, v.listReminders(booking.appointment.id)[0].state)
            val again = quick.onRunner { quick.outbox.run() }
            assertEquals(0u, quick.await(again)!!.handedOver)
            assertTrue("handed to the radio once", shadowOf(quick.sms).lastSentMultipartTextMessageParams === radio)
            assertFalse(v.today(LocalDate.of(2026, 3, 30)).attention.any { it is AttentionItem.ReminderUnknown })
        } finally {
            quick.close()
        }
    }

    @Test
    fun lostOutboxKeyIsShownAndNothingIsSent() {
        val booking = h.book("2026-03-31T10:00")
        vault().lock()
        h.keys.reset() // a lock-screen reset or a restored phone: the key store forgot its keys
        h.clock.now = booking.reminders[0].reminder.sendAt
        assertEquals(null, h.await(h.onRunner { h.outbox.run() }))
        assertEquals(0, h.sends.get())
        assertEquals(1, notifications.allNotifications.size)
        val next = alarms.peekNextScheduledAlarm()!!.triggerAtMs
        assertTrue("armed again, but not at once", next >= System.currentTimeMillis() + 14 * 60_000)
    }
}
