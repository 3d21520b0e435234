package dk.brobygger.app

import android.Manifest
import android.app.ActivityManager
import android.os.Bundle
import android.view.WindowManager
import androidx.activity.compose.BackHandler
import androidx.activity.compose.setContent
import androidx.activity.result.contract.ActivityResultContracts
import androidx.activity.viewModels
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.fragment.app.FragmentActivity
import dk.brobygger.shell.AppScreen
import dk.brobygger.shell.BrobyggerApp

/**
 * The one activity: secure window, the shell's screens, back, permissions, BiometricPrompt, and
 * survey mode pinned to the screen (lock task where the MDM allows it, screen pinning otherwise).
 */
class MainActivity : FragmentActivity() {
    private val model: AppViewModel by viewModels()

    private val permissions = registerForActivityResult(ActivityResultContracts.RequestMultiplePermissions()) { }

    // The system's file picker for backups, restores and access-request exports; the copies run
    // in the application's Documents, off the main thread.
    private val documents get() = (application as BrobyggerApplication).documents
    private val createBinary = registerForActivityResult(ActivityResultContracts.CreateDocument("application/octet-stream")) { documents.created(it) }
    private val createHtml = registerForActivityResult(ActivityResultContracts.CreateDocument("text/html")) { documents.created(it) }
    private val openDocument = registerForActivityResult(ActivityResultContracts.OpenDocument()) { documents.opened(it) }
    private lateinit var launchers: Documents.Launchers

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        // No screenshots, no preview in the app switcher: the screens show personal data.
        window.setFlags(WindowManager.LayoutParams.FLAG_SECURE, WindowManager.LayoutParams.FLAG_SECURE)
        model.prompts = BiometricPrompts(this)
        launchers = Documents.Launchers(createBinary, createHtml, openDocument)
        documents.launchers = launchers
        // Copies a killed process left in the cache go (a new process has no request open).
        if (savedInstanceState == null) documents.clearLeftovers()
        setContent {
            val screen by model.app.screen.collectAsState()
            val inSurvey = screen is AppScreen.Survey
            BackHandler(enabled = (screen as? AppScreen.Open)?.canGoBack == true) { model.app.back() }
            // Survey mode: back goes nowhere, and the app stays on the screen until the worker's PIN.
            BackHandler(enabled = inSurvey) {}
            LaunchedEffect(inSurvey) { pinned(inSurvey) }
            BrobyggerApp(model.app)
        }
        // Usually granted beforehand by the municipality's MDM; asked here otherwise.
        permissions.launch(arrayOf(Manifest.permission.SEND_SMS, Manifest.permission.READ_PHONE_STATE, Manifest.permission.POST_NOTIFICATIONS))
    }

    /**
     * Lock task: with the package allowed by the MDM (DevicePolicyManager.setLockTaskPackages)
     * the phone stays in the app with no prompt; otherwise Android's screen pinning asks once.
     * Either way the vault is locked for all of survey mode, so leaving the pin shows nothing.
     */
    private fun pinned(on: Boolean) {
        val state = getSystemService(ActivityManager::class.java)?.lockTaskModeState ?: ActivityManager.LOCK_TASK_MODE_NONE
        try {
            if (on && state == ActivityManager.LOCK_TASK_MODE_NONE) {
                startLockTask()
                model.pinnedForSurvey = true
            }
            // Only a pin survey mode made (the ViewModel remembers it across rotations).
            if (!on && model.pinnedForSurvey) {
                model.pinnedForSurvey = false
                if (state != ActivityManager.LOCK_TASK_MODE_NONE) stopLockTask()
            }
        } catch (e: RuntimeException) {
            // Not allowed here (another app pinned, a work profile's policy): survey mode without the pin.
        }
    }

    override fun onUserInteraction() {
        super.onUserInteraction()
        model.touched()
    }

    override fun onDestroy() {
        if (model.prompts?.activity === this) model.prompts = null
        if (documents.launchers === launchers) documents.launchers = null
        super.onDestroy()
    }
}
