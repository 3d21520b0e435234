package dk.brobygger.platform.android

import android.app.AlarmManager
import dk.brobygger.core.Language
import dk.brobygger.core.vaultExists
import dk.brobygger.core.wipeNotice
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import java.time.Duration
import java.util.concurrent.atomic.AtomicInteger

/**
 * The background job is where the days without an unlock run out while the app is closed: the
 * outbox run lets the core wipe first, sends nothing, clears the alarm and tells the app.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35], application = TestApp::class)
class InactivityWipeTest {
    private val h = Harness()
    private val alarms = shadowOf(h.app.getSystemService(AlarmManager::class.java))
    private val wiped = AtomicInteger()
    private val outbox = Outbox({ h.vault }, h.sender, h.tracker, h.alarm, h.notifier, h.jobs, h.runner, h.reports,
        now = { h.clock.now.toEpochMilli() }, onWiped = { wiped.incrementAndGet(); h.vault = null })

    @After
    fun close() = h.close()

    @Test
    fun theOutboxRunWipesWhenTheDaysHaveRunOutAndSendsNothing() {
        val v = h.created.vault
        v.setInactivityWipeDays(3u)
        h.book("2026-04-10T10:00")
        v.lock()
        h.await(h.onRunner { outbox.rearm() })
        assertNotNull("a reminder is pending", alarms.peekNextScheduledAlarm())

        // Two days: nothing happens.
        h.clock.now = h.clock.now.plus(Duration.ofDays(2))
        h.await(h.onRunner { outbox.run() })
        assertEquals(0, wiped.get())
        assertTrue(vaultExists(h.dir))

        // Past three days without an unlock, before the reminder's send time: wiped, nothing sent.
        h.clock.now = h.clock.now.plus(Duration.ofDays(1)).plusSeconds(60)
        assertNull(h.await(h.onRunner { outbox.run() }))
        assertEquals(1, wiped.get())
        assertFalse(vaultExists(h.dir))
        assertEquals(0, h.sends.get())
        assertNull("no alarm for a vault that is gone", alarms.peekNextScheduledAlarm())
        assertEquals(3u, wipeNotice(h.dir, Language.DA)!!.afterDays)
    }
}
