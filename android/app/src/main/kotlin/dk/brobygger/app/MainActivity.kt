package dk.brobygger.app

import android.os.Bundle
import android.view.WindowManager
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.activity.viewModels
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.compose.ui.unit.dp
import androidx.lifecycle.DefaultLifecycleObserver
import androidx.lifecycle.LifecycleOwner
import androidx.lifecycle.ProcessLifecycleOwner

class MainActivity : ComponentActivity() {
    private val model: VaultViewModel by viewModels()

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        // No screenshots, no previews in the app switcher: the screen shows personal data.
        window.setFlags(WindowManager.LayoutParams.FLAG_SECURE, WindowManager.LayoutParams.FLAG_SECURE)
        ProcessLifecycleOwner.get().lifecycle.addObserver(object : DefaultLifecycleObserver {
            override fun onStop(owner: LifecycleOwner) = model.lock()
        })
        setContent { MaterialTheme { App(model) } }
    }
}

@Composable
fun App(model: VaultViewModel) {
    val screen by model.screen.collectAsState()
    Column(Modifier.padding(16.dp)) {
        when (val s = screen) {
            Screen.SetUp -> PinEntry("Vælg en PIN-kode (mindst 6 tegn)", null, model::setUp)
            is Screen.ShowRecoveryKey -> {
                Text("Skriv gendannelsesnøglen ned og gem den et sikkert sted. Den vises kun nu:")
                Text(s.key, style = MaterialTheme.typography.titleMedium)
                Button(onClick = { model.lock() }) { Text("Jeg har skrevet den ned") }
            }
            is Screen.Unlock -> PinEntry("PIN-kode", s.message, model::unlock)
            is Screen.Home -> Home(s, model)
        }
    }
}

@Composable
fun PinEntry(label: String, message: String?, onDone: (String) -> Unit) {
    var pin by remember { mutableStateOf("") }
    message?.let { Text(it, color = MaterialTheme.colorScheme.error) }
    OutlinedTextField(
        value = pin,
        onValueChange = { pin = it },
        label = { Text(label) },
        visualTransformation = PasswordVisualTransformation(),
        keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.NumberPassword),
    )
    Button(onClick = { onDone(pin); pin = "" }) { Text("OK") }
}

@Composable
fun Home(s: Screen.Home, model: VaultViewModel) {
    var name by remember { mutableStateOf("") }
    var phone by remember { mutableStateOf("") }
    var draft by remember { mutableStateOf("") }
    var draftId by remember { mutableStateOf<String?>(null) }
    s.message?.let { Text(it, color = MaterialTheme.colorScheme.error) }
    OutlinedTextField(value = name, onValueChange = { name = it }, label = { Text("Navn") })
    OutlinedTextField(value = phone, onValueChange = { phone = it }, label = { Text("Mobil (valgfri)") })
    Button(onClick = { model.addCitizen(name, phone); name = ""; phone = "" }) { Text("Tilføj borger") }
    OutlinedTextField(
        value = draft,
        onValueChange = { draft = it; draftId = model.saveDraft(draftId, null, it) },
        label = { Text("Notat (gemmes mens du skriver)") },
    )
    Button(onClick = { draftId?.let(model::finalize); draft = ""; draftId = null }) { Text("Afslut notat") }
    LazyColumn {
        items(s.citizens, key = { it.id }) { c -> Text("${c.nickname} ${c.phone?.e164 ?: ""}") }
        items(s.notes, key = { it.id }) { n -> Text("${n.state}: ${n.text.take(60)}") }
    }
}
