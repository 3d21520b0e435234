package dk.brobygger.app

import android.app.Application
import dk.brobygger.core.CreatedVault
import dk.brobygger.core.Language
import dk.brobygger.core.RestoredVault
import dk.brobygger.core.WipeNotice
import dk.brobygger.core.restoreBackup
import dk.brobygger.core.Vault
import dk.brobygger.core.createVault
import dk.brobygger.core.vaultExists
import dk.brobygger.platform.BiometricSlot
import dk.brobygger.platform.PlatformKeyStore
import dk.brobygger.platform.SystemClock
import dk.brobygger.platform.android.AndroidBiometricKey
import dk.brobygger.platform.android.AndroidKeystoreProvider
import dk.brobygger.platform.android.DocumentCopier
import dk.brobygger.platform.android.Outbox
import dk.brobygger.platform.android.OutboxAlarm
import dk.brobygger.platform.android.OutboxHost
import dk.brobygger.platform.android.OutboxJobs
import dk.brobygger.platform.android.OutboxNotifier
import dk.brobygger.platform.android.SimChoice
import dk.brobygger.platform.android.SmsManagerSender
import dk.brobygger.platform.android.SmsTracker
import dk.brobygger.shell.VaultFolder
import java.util.concurrent.Executors

/**
 * The process's one of everything: the key store, the one Vault (shared by the screens and the
 * background sender, as the core asks), and the outbox. All lazy: after a restart the process may
 * start before the first unlock (LOCKED_BOOT_COMPLETED), when none of this may be touched.
 */
class BrobyggerApplication : Application(), OutboxHost {
    private val hasStrongBox by lazy { packageManager.hasSystemFeature(android.content.pm.PackageManager.FEATURE_STRONGBOX_KEYSTORE) }
    private val keyStore by lazy { PlatformKeyStore(AndroidKeystoreProvider(hasStrongBox)) }

    /** The vault's folder: no-backup storage, never copied off the phone by Android. */
    val folder: VaultFolder by lazy { AppVaultFolder(noBackupFilesDir.resolve("vault").path, keyStore) }

    val biometricSlot by lazy { BiometricSlot(noBackupFilesDir.resolve("biometric.bin"), AndroidBiometricKey(hasStrongBox)) }
    val sims by lazy { SimChoice(this) }
    val alarm by lazy { OutboxAlarm(this) }

    /** The file picker's copies (backups out and in, access-request exports), on their own thread. */
    val documents by lazy {
        Documents(this, DocumentCopier(contentResolver, cacheDir), Executors.newSingleThreadExecutor { Thread(it, "brobygger-documents") })
    }

    override val outbox: Outbox by lazy {
        val tracker = SmsTracker(this)
        Outbox(
            vault = { (folder as AppVaultFolder).openIfExists() },
            sender = SmsManagerSender(this, sims, tracker),
            tracker = tracker,
            alarm = alarm,
            notifier = OutboxNotifier(this),
            jobs = OutboxJobs(this),
            // Days without an unlock ran out in the background: the vault is gone.
            onWiped = {
                (folder as AppVaultFolder).forget()
                biometricSlot.clear()
            },
        )
    }

    /** Something that moves reminders was saved: set the alarm again, off the main thread. */
    fun remindersChanged() = outbox.runner.execute { outbox.rearm() }
}

/** The shell's view of the vault folder, handing out the process's one Vault. */
class AppVaultFolder(private val dir: String, private val keyStore: PlatformKeyStore) : VaultFolder {
    @Volatile private var vault: Vault? = null

    override fun exists() = vaultExists(dir)

    @Synchronized
    override fun open(): Vault = vault ?: Vault.open(dir, keyStore, SystemClock).also { vault = it }

    @Synchronized
    fun openIfExists(): Vault? = vault ?: if (exists()) open() else null

    @Synchronized
    override fun create(pin: String): CreatedVault = createVault(dir, pin, keyStore, SystemClock).also { vault = it.vault }

    @Synchronized
    override fun forget() {
        vault = null
    }

    @Synchronized
    override fun restore(backup: String, recoveryKey: String, newPin: String): RestoredVault =
        restoreBackup(backup, recoveryKey, dir, newPin, keyStore, SystemClock).also { vault = it.vault }

    override fun wipeNotice(language: Language): WipeNotice? = dk.brobygger.core.wipeNotice(dir, language)

    override fun dismissWipeNotice() = dk.brobygger.core.dismissWipeNotice(dir)
}
