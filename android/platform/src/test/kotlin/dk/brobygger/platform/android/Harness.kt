package dk.brobygger.platform.android

import android.Manifest
import android.app.Application
import android.app.PendingIntent
import android.content.Context
import android.content.Intent
import android.content.IntentFilter
import android.os.Looper
import android.telephony.SmsManager
import android.telephony.SubscriptionManager
import dk.brobygger.core.AppointmentKind
import dk.brobygger.core.Booking
import dk.brobygger.core.Clock
import dk.brobygger.core.ConsentMethod
import dk.brobygger.core.NewAppointment
import dk.brobygger.core.NewCitizen
import dk.brobygger.core.NewVenue
import dk.brobygger.core.SmsLanguage
import dk.brobygger.core.Vault
import dk.brobygger.core.VenueKind
import dk.brobygger.core.WorkerRole
import dk.brobygger.core.createVault
import dk.brobygger.platform.PlatformKeyStore
import dk.brobygger.platform.SoftwareKeyProvider
import java.nio.file.Files
import java.time.Instant
import java.time.LocalDateTime
import java.time.ZoneId
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import java.util.concurrent.Future
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.shadows.ShadowSubscriptionManager

/** The app as the platform layer sees it: an Application that hands out the process's Outbox. */
class TestApp : Application(), OutboxHost {
    override lateinit var outbox: Outbox
}

/** The core's clock, moved by the test. */
class MovingClock(@Volatile var now: Instant) : Clock {
    override fun now(): Instant = now
}

/** Records job requests instead of waiting for JobScheduler to run them, and counts them. */
class RecordingJobs(context: Context) : OutboxJobs(context) {
    val requests = AtomicInteger()
    override fun runSoon() {
        requests.incrementAndGet()
        super.runSoon()
    }
}

val CPH: ZoneId = ZoneId.of("Europe/Copenhagen")
fun cph(local: String): Instant = LocalDateTime.parse(local).atZone(CPH).toInstant()
const val PIN = "482915"
const val SUB = 1

/**
 * The real core (a vault in a temp folder, a software key store standing in for the Android
 * Keystore) and the real platform layer around it: sender, tracker, alarm, notifier, receivers.
 */
class Harness(
    val timeoutMillis: Long = 20_000,
    /** GSM-7 multipart parts hold 153 septets; for ASCII text, 153 characters. */
    val splitter: SmsSplitter = SmsSplitter { _, text -> ArrayList(text.chunked(153)) },
) {
    val app: TestApp = RuntimeEnvironment.getApplication() as TestApp
    val keys = SoftwareKeyProvider()
    val clock = MovingClock(cph("2026-03-20T12:00"))
    val dir: String = Files.createTempDirectory("brobygger-robo").resolve("vault").toString()
    val created = createVault(dir, PIN, PlatformKeyStore(keys), clock)
    @Volatile var vault: Vault? = created.vault
    val tracker = SmsTracker(app)
    val sims = SimChoice(app)
    val alarm = OutboxAlarm(app)
    val notifier = OutboxNotifier(app)
    val jobs = RecordingJobs(app)
    val sends = AtomicInteger()
    val sender = SmsManagerSender(app, sims, tracker, { m, t -> sends.incrementAndGet(); splitter.split(m, t) }, timeoutMillis)
    val runner: ExecutorService = Executors.newSingleThreadExecutor()
    val reports: ExecutorService = Executors.newSingleThreadExecutor()
    val outbox = Outbox({ vault }, sender, tracker, alarm, notifier, jobs, runner, reports)

    @Suppress("DEPRECATION")
    val sms: SmsManager get() = SmsManager.getSmsManagerForSubscriptionId(SUB)

    init {
        app.outbox = outbox
        shadowOf(app).grantPermissions(Manifest.permission.SEND_SMS)
        val sim = ShadowSubscriptionManager.SubscriptionInfoBuilder.newBuilder().setId(SUB).setSimSlotIndex(0).buildSubscriptionInfo()
        shadowOf(app.getSystemService(SubscriptionManager::class.java)).setActiveSubscriptionInfos(sim)
        ShadowSubscriptionManager.setDefaultSmsSubscriptionId(SUB)
        // Receivers as the manifest declares them (Robolectric delivers explicit intents to a
        // registered receiver of the named class).
        app.registerReceiver(SmsSentReceiver(), IntentFilter(SmsManagerSender.ACTION_SENT), Context.RECEIVER_NOT_EXPORTED)
        app.registerReceiver(SmsDeliveryReceiver(), IntentFilter(SmsManagerSender.ACTION_DELIVERED), Context.RECEIVER_NOT_EXPORTED)
        app.registerReceiver(OutboxAlarmReceiver(), IntentFilter(OutboxAlarm.ACTION), Context.RECEIVER_NOT_EXPORTED)
        val v = created.vault
        v.setWorkerProfile("Mette", "61 22 33 44", WorkerRole.CASEWORKER)
    }

    val venue by lazy { created.vault.addVenue(NewVenue(name = "Borgercaféen", kind = VenueKind.MUNICIPAL, hasPrivateRoom = true)) }
    val ole by lazy {
        created.vault.addCitizen(NewCitizen(nickname = "Ole", phone = "20 30 40 50", smsConsent = ConsentMethod.VERBAL, language = SmsLanguage.DA))
    }

    fun book(local: String): Booking = created.vault.bookAppointment(
        NewAppointment(citizenId = ole.id, venueId = venue.id, localStart = LocalDateTime.parse(local), durationMinutes = 45u, kind = AppointmentKind.CONVERSATION),
    )

    /** Runs [block] on the outbox thread, delivering main-looper work (broadcasts) while it runs. */
    fun <T> onRunner(block: () -> T): Future<T> = runner.submit<T> { block() }

    /** Lets broadcasts and background work happen until [f] is done. */
    fun <T> await(f: Future<T>, seconds: Long = 30): T {
        val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds)
        while (!f.isDone) {
            check(System.nanoTime() < deadline) { "timed out" }
            idle()
            Thread.sleep(2)
        }
        return f.get()
    }

    /** Runs queued broadcasts, then waits for the report thread to finish what they handed it. */
    fun idle() {
        shadowOf(Looper.getMainLooper()).idle()
        reports.submit {}.get(30, TimeUnit.SECONDS)
        shadowOf(Looper.getMainLooper()).idle()
    }

    /** Waits until the radio got a text (the sender called SmsManager), and returns its parameters. */
    fun handedToRadio(previous: Any? = null, seconds: Long = 30): org.robolectric.shadows.ShadowSmsManager.TextMultipartParams {
        val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds)
        while (true) {
            val p = shadowOf(sms).lastSentMultipartTextMessageParams
            if (p != null && p !== previous) return p
            check(System.nanoTime() < deadline) { "nothing handed to the radio" }
            Thread.sleep(2)
        }
    }

    /** Telephony's report for one part: the result code, and what it fills in. */
    fun report(pi: PendingIntent, code: Int, fillIn: Intent = Intent()) = pi.send(app, code, fillIn)

    fun close() {
        runner.shutdownNow()
        reports.shutdownNow()
    }
}

/**
 * A 3GPP SMS-STATUS-REPORT (TS 23.040 §9.2.2.3) as the network sends it back: no SMSC address,
 * first octet (TP-MTI 10), message reference, recipient address, two time stamps, TP-Status.
 */
fun statusReportPdu(status: Int): ByteArray {
    val hex = "00" + "06" + "01" + "0A" + "91" + "5402030405" + "62301310000040" + "62301310000140" + "%02X".format(status)
    return hex.chunked(2).map { it.toInt(16).toByte() }.toByteArray()
}
