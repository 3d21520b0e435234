package dk.brobygger.shell

import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.size
import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.toAwtImage
import androidx.compose.ui.platform.LocalDensity
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.test.SemanticsNodeInteraction
import androidx.compose.ui.test.captureToImage
import androidx.compose.ui.test.junit4.createComposeRule
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.performTextReplacement
import androidx.compose.ui.unit.Density
import androidx.compose.ui.unit.dp
import dk.brobygger.core.AppointmentKind
import dk.brobygger.core.Booking
import dk.brobygger.core.Clock
import dk.brobygger.core.ConsentMethod
import dk.brobygger.core.CreatedVault
import dk.brobygger.core.Language
import dk.brobygger.core.NewAppointment
import dk.brobygger.core.NewCitizen
import dk.brobygger.core.NewVenue
import dk.brobygger.core.SmsLanguage
import dk.brobygger.core.Vault
import dk.brobygger.core.VenueKind
import dk.brobygger.core.Weekday
import dk.brobygger.core.WorkerRole
import dk.brobygger.core.RestoredVault
import dk.brobygger.core.WipeNotice
import dk.brobygger.core.createVault
import dk.brobygger.core.restoreBackup
import dk.brobygger.core.vaultExists
import dk.brobygger.platform.PlatformKeyStore
import dk.brobygger.platform.SoftwareKeyProvider
import java.io.File
import java.nio.file.Files
import java.time.Instant
import java.time.LocalDate
import java.time.LocalDateTime
import java.time.LocalTime
import java.time.ZoneId
import java.util.concurrent.atomic.AtomicInteger
import javax.imageio.ImageIO
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.test.StandardTestDispatcher
import org.junit.After
import org.junit.Rule

val CPH: ZoneId = ZoneId.of("Europe/Copenhagen")
fun cph(local: String): Instant = LocalDateTime.parse(local).atZone(CPH).toInstant()
const val PIN = "482915"

class MovingClock(@Volatile var now: Instant) : Clock {
    override fun now(): Instant = now
}

/** A real vault folder in a temp dir, with the platform's key store adapter over software keys. */
class TestFolder(val dir: String, private val keyStore: PlatformKeyStore, private val clock: Clock) : VaultFolder {
    private var vault: Vault? = null
    override fun exists() = vaultExists(dir)
    override fun open(): Vault = vault ?: Vault.open(dir, keyStore, clock).also { vault = it }
    override fun create(pin: String): CreatedVault = createVault(dir, pin, keyStore, clock).also { vault = it.vault }
    override fun forget() {
        vault = null
    }
    override fun restore(backup: String, recoveryKey: String, newPin: String): RestoredVault =
        restoreBackup(backup, recoveryKey, dir, newPin, keyStore, clock).also { vault = it.vault }
    override fun wipeNotice(language: Language): WipeNotice? = dk.brobygger.core.wipeNotice(dir, language)
    override fun dismissWipeNotice() = dk.brobygger.core.dismissWipeNotice(dir)
}

/**
 * The shell against the real core: state holders on a test dispatcher (every core call runs
 * only when the test lets the dispatcher run), Compose Multiplatform desktop rendering headless,
 * and a phone-sized frame for screenshots (target/screenshots/).
 */
@OptIn(ExperimentalCoroutinesApi::class)
abstract class ShellTest {
    @get:Rule
    val rule = createComposeRule()

    val dispatcher = StandardTestDispatcher()
    val clock = MovingClock(cph("2026-03-30T09:00"))
    val keys = SoftwareKeyProvider()
    val keyStore = PlatformKeyStore(keys)
    val folder = TestFolder(Files.createTempDirectory("brobygger-shell").resolve("vault").toString(), keyStore, clock)
    val rearms = AtomicInteger()
    private val closing = mutableListOf<AutoCloseable>()

    fun today(): LocalDate = LocalDate.ofInstant(clock.now, CPH)

    fun app(
        language: Language = Language.DA,
        device: Device = object : Device {},
        biometricEnrolled: () -> Boolean = { false },
        requestBiometric: () -> Unit = {},
    ) = AppState(folder, dispatcher, language, ::today, remindersChanged = { rearms.incrementAndGet() }, device = device,
        biometricEnrolled = biometricEnrolled, requestBiometric = requestBiometric).also { closing += it }

    /** The PIN screen, the PIN, and the dispatcher let run: Today. */
    fun unlockInApp() {
        coreAnswers()
        type("unlock-pin", PIN)
        click("unlock-ok")
        coreAnswers()
    }

    /** A vault as a worker has it after a while: profile, a drop-in centre with Tuesday hours, Ole (consent, mobile). */
    fun seeded(): CreatedVault {
        val created = folder.create(PIN)
        val v = created.vault
        v.setWorkerProfile("Mette", "61 22 33 44", WorkerRole.CASEWORKER)
        val venue = v.addVenue(NewVenue(name = "Borgercaféen", address = "Nørrebrogade 1", kind = VenueKind.MUNICIPAL, hasPrivateRoom = true))
        v.addOfficeHours(venue.id, Weekday.TUE, LocalTime.of(10, 0), LocalTime.of(14, 0), null, null)
        v.addCitizen(NewCitizen(nickname = "Ole", phone = "20 30 40 50", smsConsent = ConsentMethod.VERBAL, language = SmsLanguage.DA))
        return created
    }

    fun Vault.ole() = listCitizens().citizens.first { it.nickname == "Ole" }
    fun Vault.venue() = listVenues().first()

    fun Vault.book(local: String, kind: AppointmentKind = AppointmentKind.CONVERSATION): Booking =
        bookAppointment(NewAppointment(citizenId = ole().id, venueId = venue().id, localStart = LocalDateTime.parse(local), durationMinutes = 45u, kind = kind))

    /** Lets the holders' pending core calls run (including debounced ones), then Compose catch up. */
    fun coreAnswers() {
        rule.waitForIdle()
        dispatcher.scheduler.advanceUntilIdle()
        rule.waitForIdle()
    }

    /** Runs only what is due now: debounced saves stay pending. */
    fun coreNow() {
        rule.waitForIdle()
        dispatcher.scheduler.runCurrent()
        rule.waitForIdle()
    }

    fun show(app: AppState, fontScale: Float = 1f) = rule.setContent { Phone(fontScale) { BrobyggerApp(app) } }

    fun tag(t: String): SemanticsNodeInteraction = rule.onNodeWithTag(t, useUnmergedTree = true)
    /** The node, scrolled into view when it sits in a scrolling screen. */
    fun seen(t: String): SemanticsNodeInteraction = tag(t).also {
        try {
            it.performScrollTo()
        } catch (e: AssertionError) {
            // Not in a scrolling container (the bottom bar): already in view.
        }
    }

    fun click(t: String) = seen(t).performClick().also { rule.waitForIdle() }
    fun type(t: String, text: String) = rule.onNodeWithTag(t).performScrollTo().performTextReplacement(text).also { rule.waitForIdle() }

    fun screenshot(name: String): File {
        val dir = File(System.getProperty("brobygger.screenshots") ?: "target/screenshots")
        dir.mkdirs()
        val file = File(dir, "$name.png")
        ImageIO.write(rule.onNodeWithTag("phone").captureToImage().toAwtImage(), "png", file)
        return file
    }

    @After
    fun closeAll() = closing.forEach { it.close() }
}

/** A phone-sized frame (400 × 760 dp) with the font scale the worker chose. */
@Composable
fun Phone(fontScale: Float = 1f, content: @Composable () -> Unit) {
    CompositionLocalProvider(LocalDensity provides Density(1f, fontScale)) {
        Box(Modifier.size(400.dp, 760.dp).testTag("phone")) { content() }
    }
}
