package dk.brobygger.app

import android.Manifest
import android.app.NotificationManager
import android.content.ClipData
import android.content.Intent
import android.content.pm.PackageManager
import androidx.biometric.BiometricManager
import androidx.biometric.BiometricManager.Authenticators.BIOMETRIC_STRONG
import androidx.biometric.BiometricPrompt
import androidx.core.content.ContextCompat
import androidx.core.content.FileProvider
import androidx.fragment.app.FragmentActivity
import dk.brobygger.platform.BiometricSlot
import dk.brobygger.platform.android.SimChoice
import dk.brobygger.shell.AppState
import dk.brobygger.shell.Device
import dk.brobygger.shell.DeviceStatus
import dk.brobygger.shell.Saved
import dk.brobygger.shell.SharedFile
import java.io.File

/** BiometricPrompt with the biometric slot's cipher as CryptoObject: the key opens only for a strong biometric. */
class BiometricPrompts(val activity: FragmentActivity) {
    private fun prompt(onCipher: (javax.crypto.Cipher) -> Unit, onFail: () -> Unit) =
        BiometricPrompt(activity, ContextCompat.getMainExecutor(activity), object : BiometricPrompt.AuthenticationCallback() {
            override fun onAuthenticationSucceeded(result: BiometricPrompt.AuthenticationResult) {
                result.cryptoObject?.cipher?.let(onCipher) ?: onFail()
            }

            override fun onAuthenticationError(errorCode: Int, errString: CharSequence) = onFail()
        })

    private fun info() = BiometricPrompt.PromptInfo.Builder()
        .setTitle("Brobygger")
        .setNegativeButtonText(if (java.util.Locale.getDefault().language == "en") "Use the PIN" else "Brug PIN-kode")
        .setAllowedAuthenticators(BIOMETRIC_STRONG)
        .build()

    /** Unlock: open the slot's secret after the prompt and hand it to the unlock screen. */
    fun unlock(slot: BiometricSlot, app: AppState) {
        when (val r = slot.decrypter()) {
            is BiometricSlot.Result.No -> app.biometricGone() // e.g. a new fingerprint was enrolled: PIN only
            is BiometricSlot.Result.Ready -> prompt({ cipher -> app.biometricSecret(slot.open(cipher)) }, {})
                .authenticate(info(), BiometricPrompt.CryptoObject(r.cipher))
        }
    }

    /** Enrolment: seal the core's secret with the authenticated cipher. */
    fun enroll(slot: BiometricSlot, secret: ByteArray, done: (Boolean) -> Unit) {
        val cipher = slot.encrypter()
        prompt({ c -> slot.seal(c, secret); done(true) }, { done(false) })
            .authenticate(info(), BiometricPrompt.CryptoObject(cipher))
    }
}

/** What the settings screen shows about the phone, and biometric enrolment. */
class AndroidDevice(private val app: BrobyggerApplication, private val prompts: () -> BiometricPrompts?) : Device {
    override val biometricHardware: Boolean
        get() = BiometricManager.from(app).canAuthenticate(BIOMETRIC_STRONG) == BiometricManager.BIOMETRIC_SUCCESS

    override fun status() = DeviceStatus(
        exactAlarms = app.alarm.exactAllowed(),
        smsPermission = app.checkSelfPermission(Manifest.permission.SEND_SMS) == PackageManager.PERMISSION_GRANTED,
        notifications = app.getSystemService(NotificationManager::class.java)?.areNotificationsEnabled() ?: false,
        sim = when (val s = app.sims.resolve()) {
            is SimChoice.Resolved.Ready -> app.sims.sims()?.firstOrNull { it.subscriptionId == s.subscriptionId }?.let { "SIM ${it.slot + 1} (${it.carrier})" } ?: "SIM"
            SimChoice.Resolved.NoSim -> null
        },
    )

    override fun enrollBiometric(secret: ByteArray, done: (Boolean) -> Unit) {
        val copy = secret.copyOf()
        ContextCompat.getMainExecutor(app).execute {
            val p = prompts() ?: return@execute done(false)
            p.enroll(app.biometricSlot, copy) { ok -> copy.fill(0); done(ok) }
        }
    }

    override fun clearBiometric() = app.biometricSlot.clear()

    // The lifecycle's files: the backup through the cache, the access-request export from memory,
    // a picked backup into the cache (see Documents and the platform's DocumentCopier).
    override fun cacheFile(prefix: String): File = app.documents.copier.cacheFile(prefix)

    override fun saveFile(file: File, name: String, mimeType: String, done: (Saved) -> Unit) =
        app.documents.save(file, null, name, mimeType, done)

    override fun saveBytes(file: SharedFile, done: (Saved) -> Unit) =
        app.documents.save(null, file.bytes, file.name, file.mimeType, done)

    override fun openDocument(done: (File?) -> Unit) = app.documents.open(done)

    /**
     * The figures' export to the share sheet: written to cache/exports (served only by our
     * FileProvider, read access granted per share), under the shell's name (dates only, nothing
     * personal). Earlier exports older than a day are removed; a newer one may still be read by
     * the app it was shared to.
     */
    override fun shareFile(file: SharedFile) {
        val dir = File(app.cacheDir, "exports").apply { mkdirs() }
        val dayAgo = System.currentTimeMillis() - 24 * 60 * 60 * 1000L
        dir.listFiles()?.filter { it.lastModified() < dayAgo }?.forEach { it.delete() }
        val out = File(dir, file.name).apply { writeBytes(file.bytes) }
        val uri = FileProvider.getUriForFile(app, "${app.packageName}.exports", out)
        val send = Intent(Intent.ACTION_SEND).apply {
            type = file.mimeType
            putExtra(Intent.EXTRA_STREAM, uri)
            clipData = ClipData.newRawUri(file.name, uri)
            addFlags(Intent.FLAG_GRANT_READ_URI_PERMISSION)
        }
        ContextCompat.getMainExecutor(app).execute {
            val chooser = Intent.createChooser(send, null)
            val activity = prompts()?.activity
            if (activity != null) activity.startActivity(chooser) else app.startActivity(chooser.addFlags(Intent.FLAG_ACTIVITY_NEW_TASK))
        }
    }
}
