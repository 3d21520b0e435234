import BrobyggerCore
import BrobyggerPlatformLogic
import Combine
import Foundation
import SwiftUI

/// The app's session: which screen is up (set-up, recovery key, PIN, recovery, the app),
/// unlocking, locking, and the platform adapters wired to the core. Every decision about
/// the vault (PIN rules, attempts, delays, what a recovery key opens) is the core's.
@MainActor
public final class AppModel: ObservableObject {
    public enum Phase: Equatable {
        case starting
        /// The vault folder could not be prepared (no space, a damaged container).
        case unavailable(String)
        case setUp
        /// Shown once after set-up (and after a rotation); then dropped.
        case recoveryKey(groups: [String])
        case unlock
        /// PIN disabled after ten wrong PINs, or the phone's keys are gone: the recovery
        /// key and a new PIN open the vault.
        case recovery
        case main
        /// The phone is in a citizen's hands: only the survey shows (`survey`), the vault is
        /// locked, the app's screens are gone.
        case survey
    }

    @Published public private(set) var phase: Phase = .starting
    @Published public var message: String? = nil
    @Published public private(set) var status: VaultStatus? = nil
    @Published public private(set) var biometrics: BiometricSlot.Availability = .notAvailable
    /// Seconds until the core allows the next PIN attempt (its `PinDelay`).
    @Published public private(set) var retryAfter = 0
    @Published public private(set) var busy = false
    /// Face ID stopped working since it was turned on; offered again after a PIN unlock.
    @Published public private(set) var biometricInvalidated = false
    /// Survey mode, while the phase is `.survey`.
    @Published public private(set) var survey: SurveyModel? = nil
    /// What a wipe after days without an unlock left (the core's words), shown on set-up
    /// until the worker has read it.
    @Published public private(set) var wipeNotice: WipeNotice? = nil

    public let words: Words
    public let keyStore: DeviceKeyStore
    public let core: CoreClient
    public let composeQueue: ComposeQueue
    public let notifications: SendNotificationScheduler
    let slot: BiometricSlot
    private let privacy = PrivacyCover()
    private var subscriptions: Set<AnyCancellable> = []
    private var autoLock: Task<Void, Never>?
    private var countdown: Task<Void, Never>?
    /// Flushes of open drafts, run before the vault locks.
    private var flushers: [UUID: () async -> Void] = [:]

    public init(words: Words = Words()) {
        self.words = words
        let keyStore = DeviceKeyStore()
        self.keyStore = keyStore
        slot = BiometricSlot()
        let folder: URL
        var failure: String?
        do {
            folder = try VaultFolder.prepare()
        } catch {
            folder = FileManager.default.temporaryDirectory
            failure = words("Appens datamappe kunne ikke oprettes. Frigør plads på telefonen, og åbn appen igen.",
                            "The app's data folder could not be created. Free some space and open the app again.")
        }
        let core = CoreClient(vault: VaultActor(directory: folder, keyStore: keyStore), words: words)
        self.core = core
        composeQueue = ComposeQueue(core: core)
        notifications = SendNotificationScheduler(core: core)
        if let failure { phase = .unavailable(failure) }

        core.planChanged
            .debounce(for: .milliseconds(400), scheduler: RunLoop.main)
            .sink { [weak self] in
                Task { @MainActor in await self?.notifications.replan() }
            }
            .store(in: &subscriptions)
        core.lockedByCore
            .sink { [weak self] in
                Task { @MainActor in self?.showLocked() }
            }
            .store(in: &subscriptions)
        core.activity
            .sink { [weak self] in
                Task { @MainActor in self?.restartAutoLock() }
            }
            .store(in: &subscriptions)
        notifications.onSendNow = { [weak self] in
            Task { await self?.sendDueTexts() }
        }
        composeQueue.onDrained = { [weak self] in
            guard let self, self.lastRunLeftMore else { return }
            Task { await self.sendDueTexts() }
        }
    }

    private var lastRunLeftMore = false
    /// The app pinned itself for survey mode (a supervised phone allowing it): unpin at the end.
    private var pinnedForSurvey = false

    // MARK: Start, foreground, background

    public func start() async {
        guard phase == .starting else { return }
        // An export, a backup or a restore copy left by a run that ended before its picker closed.
        await Task.detached(priority: .utility) {
            ExportFolder.discard()
            LifecycleFiles.discardAll()
        }.value
        biometrics = slot.availability()
        biometricInvalidated = UserDefaults.standard.bool(forKey: Self.invalidatedKey)
        let exists = await core.vault.exists()
        if exists, await enforceInactivityWipe() {
            return
        } else if exists {
            await composeQueue.recoverAfterRestart()
            await refreshStatus()
            phase = status?.platformKeysMissing == true || status?.pinDisabled == true ? .recovery : .unlock
        } else {
            phase = .setUp
            await loadWipeNotice()
        }
        await notifications.replan()
    }

    /// The core's wipe after days without an unlock: at start, when the app becomes active
    /// and in the background refresh (`InactivityWipeTask`). The core decides; when it wiped,
    /// the app shows set-up with its notice. True: wiped.
    @discardableResult
    public func enforceInactivityWipe() async -> Bool {
        guard phase != .survey, (try? await core.vault.enforceInactivityWipe()) == true else { return false }
        await becameEmpty()
        return true
    }

    /// The scene became active: the snapshot cover goes, the plan is refreshed (a send time
    /// may have passed while the phone was off), and Face ID availability re-read.
    public func didBecomeActive() async {
        privacy.hide()
        if phase != .starting, await enforceInactivityWipe() { return }
        biometrics = slot.availability()
        await survey?.checkActive()
        await notifications.replan()
    }

    /// Inactive (app switcher, a call, Control Centre): cover the screen at once.
    public func willResignActive() {
        privacy.show()
    }

    /// The app left the foreground: save what is typed, then lock, inside a background task
    /// so both finish; the PIN screen is what shows when it comes back.
    public func didEnterBackground() {
        privacy.show()
        InactivityWipeTask.schedule()
        let task = BackgroundTask(name: "lock")
        Task {
            await lockNow()
            task.end()
        }
    }

    // MARK: Set-up

    /// The core's verdict on a new PIN (length, characters, common PINs), as words.
    public func pinProblem(_ pin: String) -> String? {
        guard !pin.isEmpty else { return nil }
        return checkNewPin(pin: pin).map { words.error($0) }
    }

    public func setUp(pin: String, repeated: String) async {
        guard pin == repeated else {
            message = words("De to PIN-koder er ikke ens.", "The two PINs differ.")
            return
        }
        if let problem = pinProblem(pin) {
            message = problem
            return
        }
        await perform {
            let key = try await core.vault.create(pin: pin)
            phase = .recoveryKey(groups: key.groups())
            await refreshStatus()
        }
        if phase != .setUp { await dismissWipeNotice() }
    }

    /// The restore on the set-up screen succeeded (`RestoreModel`): the restored vault is
    /// open. A Face ID item of an earlier vault can never open it: it goes; the worker turns
    /// Face ID on again in Settings.
    public func restored() async {
        slot.remove()
        UserDefaults.standard.removeObject(forKey: Self.invalidatedKey)
        biometricInvalidated = false
        await dismissWipeNotice()
        await unlocked()
        await notifications.requestPermission()
        await notifications.replan()
    }

    /// The worker has read the wipe notice: the core removes it.
    public func dismissWipeNotice() async {
        guard wipeNotice != nil else { return }
        try? await core.vault.dismissNotice()
        wipeNotice = nil
    }

    private func loadWipeNotice() async {
        wipeNotice = await core.vault.notice(language: words.language)
    }

    /// The worker has written the key down: on to the app (still unlocked), and ask for
    /// notifications now, when the reason is plain.
    public func recoveryKeyWrittenDown() async {
        phase = .main
        restartAutoLock()
        await notifications.requestPermission()
        await notifications.replan()
    }

    // MARK: Unlock

    public func unlock(pin: String) async {
        guard retryAfter == 0 else { return }
        await perform {
            try await core.read { try $0.unlock(pin: pin) }
            await unlocked()
        }
    }

    public func unlockWithBiometrics() async {
        let reason = words("Lås Brobygger op", "Unlock Brobygger")
        do {
            let secret = try await slot.read(reason: reason)
            await perform {
                try await core.read { try $0.unlockWithBiometric(secret: secret) }
                await unlocked()
            }
        } catch let failure as BiometricSlot.Failure {
            if failure == .changedOrRemoved { markBiometricInvalidated() }
            if let text = failure.message(words) { message = text }
        } catch {
            message = words.error(error)
        }
    }

    public func unlockWithRecoveryKey(_ key: String, newPin: String, repeated: String) async {
        guard newPin == repeated else {
            message = words("De to PIN-koder er ikke ens.", "The two PINs differ.")
            return
        }
        await perform {
            try await core.read { try $0.unlockWithRecoveryKey(recoveryKey: key, newPin: newPin) }
            await unlocked()
        }
    }

    private func unlocked() async {
        message = nil
        await refreshStatus()
        if biometricInvalidated, status?.biometricEnrolled == true {
            // The old biometric wrap can never open again; drop it so the core says so.
            _ = try? await core.write("biometric") { try $0.removeBiometric() }
            await refreshStatus()
        }
        phase = .main
        restartAutoLock()
        // Integrity scan after unlocking, off the main thread; Today shows a problem.
        _ = try? await core.read { try $0.checkIntegrity() }
    }

    // MARK: Lock

    public func lockNow() async {
        for flush in flushers.values { await flush() }
        await core.vault.lock()
        autoLock?.cancel()
        if phase == .main || phase == .starting { phase = .unlock }
        if case .recoveryKey = phase { phase = .unlock }
        await refreshStatus()
    }

    private func showLocked() {
        guard phase == .main else { return }
        phase = .unlock
        message = words("Appen låste sig selv efter et stykke tid uden brug.", "The app locked itself after a while without use.")
    }

    /// The shell's half of auto-lock: after the idle minutes the core would refuse anyway,
    /// lock and show the PIN screen without waiting for the next tap.
    private func restartAutoLock() {
        autoLock?.cancel()
        guard phase == .main else { return }
        let minutes = max(1, Int(status?.autoLockMinutes ?? 5))
        autoLock = Task { [weak self] in
            try? await Task.sleep(for: .seconds(minutes * 60))
            guard !Task.isCancelled else { return }
            await self?.lockNow()
        }
    }

    /// A draft editor registers how to save what is typed before the vault locks.
    public func registerFlush(_ id: UUID, _ flush: @escaping () async -> Void) { flushers[id] = flush }
    public func unregisterFlush(_ id: UUID) { flushers[id] = nil }

    // MARK: Survey mode

    /// Hands the phone over for the survey at `venueId`: saves what is typed, then the core
    /// locks the vault and returns survey mode. The app's screens are replaced (nothing
    /// decrypted stays in a view behind the survey), the auto-lock timer stops (the core
    /// ends survey mode after its own idle time), and on a supervised phone that allows it
    /// the app pins itself (`SingleAppMode`) until survey mode ends.
    public func startSurvey(venueId: String) async throws {
        for flush in flushers.values { await flush() }
        let mode = try await core.vault.run { try $0.startSurveyMode(venueId: venueId) }
        autoLock?.cancel()
        let slot = self.slot
        // The prompt's reason is the survey screen's own line for the worker.
        let reason = surveyText(text: .workerLeave, language: words.language)
        let biometric: (() async throws -> Data)? =
            biometricUnlockOffered ? { try await slot.read(reason: reason) } : nil
        let model = SurveyModel(core: core, mode: mode, biometric: biometric, biometricName: biometricName)
        model.onEnded = { [weak self] ending in
            Task { @MainActor in await self?.surveyEnded(ending) }
        }
        survey = model
        phase = .survey
        pinnedForSurvey = await SingleAppMode.request(true)
    }

    /// Face ID / Touch ID is offered to unlock: the phone has it, and it is turned on and valid.
    private var biometricUnlockOffered: Bool {
        guard case .available = biometrics else { return false }
        return status?.biometricEnrolled == true && !biometricInvalidated
    }

    /// The name of the phone's biometrics, as its button says it.
    public var biometricName: String? {
        switch biometrics {
        case .available(.faceID): return "Face ID"
        case .available(.touchID): return "Touch ID"
        case .available(.opticID): return "Optic ID"
        default: return nil
        }
    }

    private func surveyEnded(_ ending: SurveyModel.Ending) async {
        survey = nil
        if pinnedForSurvey {
            pinnedForSurvey = false
            _ = await SingleAppMode.request(false)
        }
        switch ending {
        case .left:
            await unlocked()
        case .expired:
            phase = .unlock
            await refreshStatus()
        case .recoveryNeeded:
            await refreshStatus()
            phase = .recovery
        case .wiped:
            await becameEmpty()
        }
    }

    // MARK: Sending

    /// Runs the outbox with the compose queue as sender: every due text becomes a sheet.
    /// Works with the vault locked (the texts are sealed under the outbox key). Not in survey
    /// mode: a compose sheet shows a citizen's number and text, and the phone is in another
    /// citizen's hands (the texts wait for the worker; the notification says only how many).
    public func sendDueTexts() async {
        guard phase != .survey else { return }
        notifications.clearDelivered()
        let sender = composeQueue.makeSender()
        do {
            let run = try await core.write("outbox") { try $0.runOutbox(sender: sender, limit: 20) }
            lastRunLeftMore = run.leftForNextRun > 0
            if run.handedOver == 0, run.needsUser == 0 {
                composeQueue.notice = words("Der er ingen sms'er at sende lige nu.", "There are no texts to send just now.")
            } else if run.failed + run.retryScheduled > 0, !composeQueue.canSendText {
                composeQueue.notice = words(
                    "Telefonen kan ikke sende sms (intet SIM-kort, eller en iPad). Påmindelserne prøves igen og vises, hvis de ikke kommer af sted.",
                    "This device cannot send texts (no SIM, or an iPad). The reminders are tried again and shown if they do not go out.")
            }
        } catch {
            composeQueue.notice = words.error(error)
        }
    }

    // MARK: Settings

    public func refreshStatus() async {
        status = try? await core.vault.run { try $0.status() }
    }

    public func setBiometrics(_ on: Bool) async {
        if on {
            await perform {
                let secret = try await core.write("biometric") { try $0.enrollBiometric() }
                try slot.store(secret)
                UserDefaults.standard.set(false, forKey: Self.invalidatedKey)
                biometricInvalidated = false
                await refreshStatus()
            }
        } else {
            await perform {
                try await core.write("biometric") { try $0.removeBiometric() }
                slot.remove()
                await refreshStatus()
            }
        }
    }

    public func rotateRecoveryKey() async {
        await perform {
            let key = try await core.write("recovery-key") { try $0.rotateRecoveryKey() }
            phase = .recoveryKey(groups: key.groups())
        }
    }

    public func wipe() async {
        await perform {
            try await core.write("wipe") { try $0.wipe() }
            await becameEmpty()
        }
    }

    /// The vault is gone (the worker's wipe, the duress PIN, the days without an unlock): the
    /// app is as on a fresh install. The handle, the Face ID item, the queued compose sheets
    /// and the compose journal, the planned send notifications and the temporary copies go;
    /// set-up shows, with the core's notice when the days without an unlock did it (a duress
    /// wipe leaves none, so nothing tells it from a fresh install).
    private func becameEmpty() async {
        await core.vault.forget()
        slot.remove()
        UserDefaults.standard.removeObject(forKey: Self.invalidatedKey)
        biometricInvalidated = false
        autoLock?.cancel()
        countdown?.cancel()
        retryAfter = 0
        survey = nil
        status = nil
        message = nil
        composeQueue.discardAll()
        notifications.removeAll()
        await Task.detached(priority: .utility) {
            ExportFolder.discard()
            LifecycleFiles.discardAll()
        }.value
        phase = .setUp
        await loadWipeNotice()
    }

    // MARK: Helpers

    private static let invalidatedKey = "dk.brobygger.biometric-invalidated"

    private func markBiometricInvalidated() {
        biometricInvalidated = true
        UserDefaults.standard.set(true, forKey: Self.invalidatedKey)
    }

    /// Runs a core call for the session screens; errors become the worker's words, and the
    /// PIN states the core reports move the screen.
    private func perform(_ body: () async throws -> Void) async {
        busy = true
        defer { busy = false }
        do {
            try await body()
            message = nil
        } catch BrobyggerError.NoVault {
            // Wiped: by the duress PIN (silently; it must look like a fresh install), by the
            // days without an unlock (the core's notice says so), or from outside.
            await becameEmpty()
        } catch let e as BrobyggerError {
            message = words.error(e)
            switch e {
            case .PinDelay(let seconds): startCountdown(Int(seconds))
            case .PinDisabled, .PlatformKeysMissing: phase = .recovery
            default: break
            }
            await refreshStatus()
        } catch {
            message = words.error(error)
        }
    }

    private func startCountdown(_ seconds: Int) {
        countdown?.cancel()
        retryAfter = seconds
        countdown = Task { [weak self] in
            while let self, self.retryAfter > 0, !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                self.retryAfter -= 1
            }
        }
    }
}

extension BiometricSlot.Failure {
    /// What the worker reads when Face ID / Touch ID did not open the app; nil when the worker
    /// chose it (cancelled, or the PIN instead).
    func message(_ words: Words) -> String? {
        switch self {
        case .cancelled, .fallbackToPin:
            return nil
        case .changedOrRemoved:
            return words(
                "Face ID eller Touch ID er ændret, siden du slog det til. Lås op med PIN-koden; slå det til igen under Indstillinger.",
                "Face ID or Touch ID changed since you turned it on. Unlock with your PIN; turn it on again in Settings.")
        case .notEnrolled:
            return words("Der er ikke sat Face ID eller Touch ID op på telefonen. Brug PIN-koden.",
                         "No Face ID or Touch ID is set up on this phone. Use your PIN.")
        case .lockedOut:
            return words("Face ID er låst efter for mange forsøg. Brug PIN-koden.",
                         "Face ID is locked after too many tries. Use your PIN.")
        case .unavailable:
            return words("Face ID kunne ikke bruges lige nu. Brug PIN-koden.",
                         "Face ID could not be used just now. Use your PIN.")
        }
    }
}
