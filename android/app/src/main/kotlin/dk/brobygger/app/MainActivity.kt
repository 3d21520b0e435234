package dk.brobygger.app

import android.Manifest
import android.os.Bundle
import android.view.WindowManager
import androidx.activity.compose.BackHandler
import androidx.activity.compose.setContent
import androidx.activity.result.contract.ActivityResultContracts
import androidx.activity.viewModels
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.fragment.app.FragmentActivity
import dk.brobygger.shell.AppScreen
import dk.brobygger.shell.BrobyggerApp

/** The one activity: secure window, the shell's screens, back, permissions, BiometricPrompt. */
class MainActivity : FragmentActivity() {
    private val model: AppViewModel by viewModels()

    private val permissions = registerForActivityResult(ActivityResultContracts.RequestMultiplePermissions()) { }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        // No screenshots, no preview in the app switcher: the screens show personal data.
        window.setFlags(WindowManager.LayoutParams.FLAG_SECURE, WindowManager.LayoutParams.FLAG_SECURE)
        model.prompts = BiometricPrompts(this)
        setContent {
            val screen by model.app.screen.collectAsState()
            BackHandler(enabled = (screen as? AppScreen.Open)?.canGoBack == true) { model.app.back() }
            BrobyggerApp(model.app)
        }
        // Usually granted beforehand by the municipality's MDM; asked here otherwise.
        permissions.launch(arrayOf(Manifest.permission.SEND_SMS, Manifest.permission.READ_PHONE_STATE, Manifest.permission.POST_NOTIFICATIONS))
    }

    override fun onUserInteraction() {
        super.onUserInteraction()
        model.touched()
    }

    override fun onDestroy() {
        if (model.prompts?.activity === this) model.prompts = null
        super.onDestroy()
    }
}
