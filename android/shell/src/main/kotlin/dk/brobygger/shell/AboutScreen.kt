package dk.brobygger.shell

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.unit.dp
import dk.brobygger.core.SmsEncoding

/** The About screen, bound to its state holder. */
@Composable
fun AboutScreen(state: AboutState, modifier: Modifier = Modifier) {
    val ui by state.state.collectAsState()
    AboutContent(ui, onSampleChange = state::onSampleChange, onLongSample = state::useLongSample, modifier = modifier)
}

/** Stateless: what [AboutUi] looks like. */
@Composable
fun AboutContent(
    ui: AboutUi,
    onSampleChange: (String) -> Unit,
    onLongSample: () -> Unit,
    modifier: Modifier = Modifier,
) {
    Column(modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        Text("Brobygger", style = MaterialTheme.typography.headlineSmall)
        Text("Kerneversion ${ui.coreVersion ?: "…"}", Modifier.testTag(AboutTags.VERSION))
        OutlinedTextField(
            value = ui.sample,
            onValueChange = onSampleChange,
            label = { Text("Prøvetekst") },
            modifier = Modifier.fillMaxWidth().testTag(AboutTags.SAMPLE),
        )
        Text(ui.measure?.let(::describe) ?: "Måler …", Modifier.testTag(AboutTags.LENGTH))
        Button(onClick = onLongSample) { Text("Prøv en lang tekst") }
    }
}

/** "2 SMS'er · GSM-7": the count a carrier bills, in the worker's words. */
fun describe(m: SmsMeasure): String {
    val sms = if (m.segments == 1) "1 SMS" else "${m.segments} SMS'er"
    val encoding = when (m.encoding) {
        SmsEncoding.GSM7 -> "GSM-7"
        SmsEncoding.UCS2 -> "UCS-2"
    }
    return "$sms · $encoding"
}

object AboutTags {
    const val VERSION = "about-version"
    const val SAMPLE = "about-sample"
    const val LENGTH = "about-length"
}
