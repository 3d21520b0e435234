import BrobyggerCore
import Foundation

/// The process's one `Vault`, behind an actor that runs on its own serial queue. Every
/// core call blocks (the PIN KDF, fsync, key store calls); running them here keeps them off
/// the main thread and off Swift's cooperative pool, and serialises them, so a compose
/// sheet's result is recorded after the outbox run that handed the text over.
public actor VaultActor {
    private let queue = DispatchSerialQueue(label: "dk.brobygger.vault", qos: .userInitiated)
    public nonisolated var unownedExecutor: UnownedSerialExecutor { queue.asUnownedSerialExecutor() }

    public let directory: String
    private let keyStore: any KeyStore
    private let clock: any Clock
    private var vault: Vault?

    public init(directory: URL, keyStore: any KeyStore, clock: any Clock = SystemClock()) {
        self.directory = directory.path
        self.keyStore = keyStore
        self.clock = clock
    }

    /// Whether the folder holds a vault (set-up or PIN screen).
    public func exists() -> Bool {
        vaultExists(dir: directory)
    }

    /// Sets up a new vault, unlocked; the recovery key is shown once and then dropped.
    public func create(pin: String) throws -> RecoveryKey {
        let created = try createVault(dir: directory, pin: pin, keyStore: keyStore, clock: clock)
        vault = created.vault
        return created.recoveryKey
    }

    /// One core call. Opening is cheap and works locked; the call itself checks the lock.
    public func run<T: Sendable>(_ body: @Sendable (Vault) throws -> T) throws -> T {
        try body(opened())
    }

    /// Locks at once; the keys leave memory. Nothing to do without an open vault.
    public func lock() {
        vault?.lock()
    }

    /// After `wipe()`: forget the handle, the folder is empty.
    public func forget() {
        vault = nil
    }

    /// Restores a backup (a file of the app's own, see `LifecycleFiles`) into the empty vault
    /// folder with the recovery key and a new PIN; the restored vault is the one from now on,
    /// unlocked. The core verifies the whole file first and leaves no vault when it fails.
    public func restore(backup: URL, recoveryKey: String, newPin: String) throws -> RestoreReport {
        let restored = try restoreBackup(
            backupPath: backup.path, recoveryKey: recoveryKey, targetDir: directory, newPin: newPin,
            keyStore: keyStore, clock: clock)
        vault = restored.vault
        return restored.report
    }

    /// The core's verdict on a backup under a recovery key (no vault needed, nothing written).
    public func checkBackup(_ backup: URL, recoveryKey: String, language: Language) throws -> BackupCheck {
        try verifyBackupWithRecoveryKey(backupPath: backup.path, recoveryKey: recoveryKey, language: language)
    }

    /// At start, when the app becomes active and in the background refresh: the core wipes
    /// the vault when its days without an unlock have run out. True: wiped, the handle is
    /// dropped and the folder holds only the core's notice.
    public func enforceInactivityWipe() throws -> Bool {
        guard vaultExists(dir: directory) else { return false }
        let wiped = try opened().enforceInactivityWipe()
        if wiped { vault = nil }
        return wiped
    }

    /// What a wipe after days without an unlock left in the folder, in words (nil: none).
    public func notice(language: Language) -> WipeNotice? {
        BrobyggerCore.wipeNotice(dir: directory, language: language)
    }

    /// The worker has read the notice: it goes.
    public func dismissNotice() throws {
        try dismissWipeNotice(dir: directory)
    }

    private func opened() throws -> Vault {
        if let vault { return vault }
        let opened = try Vault.open(dir: directory, keyStore: keyStore, clock: clock)
        vault = opened
        return opened
    }
}

/// The device clock, handed to the core (which never reads a clock itself).
public final class SystemClock: Clock, @unchecked Sendable {
    public init() {}
    public func now() -> Date { Date() }
}
