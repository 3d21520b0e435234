package dk.brobygger.shell

import dk.brobygger.core.SmsEncoding
import dk.brobygger.core.coreVersion
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.test.StandardTestDispatcher
import kotlinx.coroutines.test.TestScope
import kotlinx.coroutines.test.advanceUntilIdle
import kotlinx.coroutines.test.runTest
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Test

/** The state holder alone, against the real core, its work on a test dispatcher. */
@OptIn(ExperimentalCoroutinesApi::class)
class AboutStateTest {
    private fun TestScope.holder() = AboutState(StandardTestDispatcher(testScheduler))

    @Test
    fun nothingIsShownBeforeTheCoreAnswersOnTheDispatcher() = runTest {
        val about = holder()
        assertNull(about.state.value.coreVersion)
        assertNull(about.state.value.measure)

        advanceUntilIdle()
        assertEquals(coreVersion(), about.state.value.coreVersion)
        assertEquals(SmsMeasure(1, SmsEncoding.GSM7), about.state.value.measure)
        about.close()
    }

    @Test
    fun measuresEachEditAndKeepsOnlyTheLatest() = runTest {
        val about = holder()
        advanceUntilIdle()

        about.onSampleChange("ж".repeat(71))
        assertNull(about.state.value.measure)
        about.onSampleChange("ж".repeat(70))
        advanceUntilIdle()
        assertEquals("ж".repeat(70), about.state.value.sample)
        assertEquals(SmsMeasure(1, SmsEncoding.UCS2), about.state.value.measure)

        about.useLongSample()
        advanceUntilIdle()
        assertEquals(SmsMeasure(2, SmsEncoding.GSM7), about.state.value.measure)
        about.close()
    }

    @Test
    fun closedHolderDoesNoMoreWork() = runTest {
        val about = holder()
        about.close()
        advanceUntilIdle()
        assertNull(about.state.value.coreVersion)
    }
}
