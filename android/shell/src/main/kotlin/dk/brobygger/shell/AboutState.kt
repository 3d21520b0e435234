package dk.brobygger.shell

import dk.brobygger.core.SmsEncoding
import dk.brobygger.core.checkSmsText
import dk.brobygger.core.coreVersion
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

/** What the About screen shows; `null` while the core has not answered yet. */
data class AboutUi(
    val coreVersion: String? = null,
    val sample: String = "",
    val measure: SmsMeasure? = null,
)

/** How long a text is as SMS: what the worker needs to see before a reminder goes out. */
data class SmsMeasure(val segments: Int, val encoding: SmsEncoding)

/**
 * State holder of the About screen: the core's version, and the SMS length of a sample text.
 * Every core call crosses JNA and may block, so it runs on [dispatcher] (IO on a phone, a test
 * dispatcher in tests); the screen only collects [state]. Plain class: the app's ViewModel owns
 * one and calls [close] in onCleared.
 */
class AboutState(dispatcher: CoroutineDispatcher) : AutoCloseable {
    private val scope = CoroutineScope(SupervisorJob() + dispatcher)
    private val mutable = MutableStateFlow(AboutUi())
    val state: StateFlow<AboutUi> = mutable.asStateFlow()

    init {
        scope.launch {
            val version = coreVersion()
            mutable.update { it.copy(coreVersion = version) }
        }
        onSampleChange(SHORT_SAMPLE)
    }

    /** The worker edits the sample; its length follows once the core has measured it. */
    fun onSampleChange(text: String) {
        mutable.update { it.copy(sample = text, measure = null) }
        scope.launch {
            val check = checkSmsText(text)
            val measure = SmsMeasure(check.segments.toInt(), check.encoding)
            // A later edit may have overtaken this one: keep only the measure of the current text.
            mutable.update { if (it.sample == text) it.copy(measure = measure) else it }
        }
    }

    fun useLongSample() = onSampleChange(LONG_SAMPLE)

    override fun close() = scope.cancel()

    companion object {
        const val SHORT_SAMPLE = "Hej! Husk vores aftale i morgen kl. 10.00."
        /** One GSM-7 character over a single SMS. */
        val LONG_SAMPLE = "Hej! " + "a".repeat(156)
    }
}
