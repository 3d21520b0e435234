package dk.brobygger.platform.android

import android.telephony.SubscriptionManager
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import org.robolectric.shadows.ShadowSubscriptionManager

/** Dual SIM: the SIM is chosen once and kept; a SIM taken out is "no SIM", not the other one. */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35])
class SimChoiceTest {
    private val app = RuntimeEnvironment.getApplication()
    private val subs = shadowOf(app.getSystemService(SubscriptionManager::class.java))
    private fun sim(id: Int, slot: Int) =
        ShadowSubscriptionManager.SubscriptionInfoBuilder.newBuilder().setId(id).setSimSlotIndex(slot).setCarrierName("Operatør $slot").buildSubscriptionInfo()

    @Test
    fun theDefaultIsStoredOnceAndKeptWhenTheDefaultChanges() {
        subs.setActiveSubscriptionInfos(sim(1, 0), sim(2, 1))
        ShadowSubscriptionManager.setDefaultSmsSubscriptionId(2)
        val choice = SimChoice(app)
        assertNull(choice.chosen())
        assertEquals(2, (choice.resolve() as SimChoice.Resolved.Ready).subscriptionId)
        assertEquals(2, choice.chosen())
        ShadowSubscriptionManager.setDefaultSmsSubscriptionId(1)
        assertEquals(2, (SimChoice(app).resolve() as SimChoice.Resolved.Ready).subscriptionId)
        assertEquals(listOf(Sim(1, 0, "Operatør 0"), Sim(2, 1, "Operatør 1")), choice.sims())

        choice.choose(1)
        assertEquals(1, (choice.resolve() as SimChoice.Resolved.Ready).subscriptionId)
    }

    @Test
    fun theChosenSimTakenOutIsNoSim() {
        subs.setActiveSubscriptionInfos(sim(1, 0), sim(2, 1))
        val choice = SimChoice(app)
        choice.choose(2)
        subs.setActiveSubscriptionInfos(sim(1, 0))
        assertEquals(SimChoice.Resolved.NoSim, choice.resolve())
    }

    @Test
    fun noSimAtAll() {
        subs.setActiveSubscriptionInfos()
        ShadowSubscriptionManager.setDefaultSmsSubscriptionId(SubscriptionManager.INVALID_SUBSCRIPTION_ID)
        assertEquals(SimChoice.Resolved.NoSim, SimChoice(app).resolve())
    }
}
