import BrobyggerCore
import BrobyggerPlatformLogic
import Foundation

/// Backups, retention and the emergency wipes: the core's `lifecycleStatus` rendered as it
/// is, and each setting one core call. A backup is written by the core into a temporary copy
/// (`LifecycleFiles`), handed to the document picker and deleted when the picker closes.
@MainActor
public final class LifecycleModel: ScreenModel {
    @Published public private(set) var status: LifecycleStatus? = nil
    /// What the last action did, in words (saved, not saved, retention applied).
    @Published public private(set) var notice: String? = nil
    /// A backup waiting for the document picker: the picker shows while it is set.
    @Published public var pendingExport: PendingExport? = nil
    /// The temporary copy until it is deleted (kept apart from `pendingExport`, which the
    /// sheet clears itself when swiped away).
    private var exportedCopy: URL?
    /// When the backup in the temporary copy was made: if it is not kept, the core is told.
    private var exportedAt: Date?

    private let calendar: Calendar
    private let now: () -> Date

    public init(core: CoreClient, calendar: Calendar = .current, now: @escaping () -> Date = { Date() }) {
        self.calendar = calendar
        self.now = now
        super.init(core: core)
    }

    /// The core's status in the worker's language; readable while locked.
    public func load() async {
        let language = words.language
        await perform { status = try await core.read { try $0.lifecycleStatus(language: language) } }
    }

    // MARK: Backup

    /// The core writes the backup (and reads it back) into a fresh temporary copy, on the
    /// vault's queue; then the picker shows. A refusal (locked, no backup key yet, a full
    /// disk) shows in the core's words and leaves no copy.
    public func createBackup() async {
        notice = nil
        await discardCopy()
        let name = ExportNaming.backup(on: WallClock.day(of: now(), calendar: calendar), danish: words.danish)
        var made: (url: URL, at: Date)?
        let ok = await perform {
            made = try await core.write("backup") { (vault: Vault) -> (url: URL, at: Date) in
                let url = try LifecycleFiles.fresh(name)
                do {
                    let info = try vault.createBackup(outPath: url.path)
                    try LifecycleFiles.protect(url)
                    return (URL(fileURLWithPath: info.path), info.createdAt)
                } catch {
                    LifecycleFiles.remove(url)
                    throw error
                }
            }
        }
        guard ok, let made else { return }
        exportedCopy = made.url
        exportedAt = made.at
        pendingExport = PendingExport(url: made.url)
        await load()
    }

    /// The picker closed: `true` saved where the worker picked, `false` cancelled, `nil` the
    /// sheet went without an answer. The temporary copy is deleted in every case.
    public func exportFinished(saved: Bool?) async {
        pendingExport = nil
        let had = exportedCopy != nil
        // A backup that went nowhere must not count as the last backup.
        if saved != true, let at = exportedAt {
            _ = await perform { try await core.write("backup") { try $0.backupNotKept(createdAt: at) } }
        }
        exportedAt = nil
        await discardCopy()
        await load()
        guard had, let saved else { return }
        notice = saved
            ? words("Sikkerhedskopien er gemt. Gem gendannelsesnøglen et andet sted end kopien.",
                    "The backup is saved. Keep the recovery key somewhere other than the copy.")
            : words("Sikkerhedskopien blev ikke gemt nogen steder. Lav en ny, når du vil gemme den.",
                    "The backup was not saved anywhere. Make a new one when you want to keep it.")
    }

    /// The temporary copy, if any, as its path on disk (tests check it is gone).
    public var temporaryCopy: URL? { exportedCopy }

    private func discardCopy() async {
        guard let url = exportedCopy else { return }
        exportedCopy = nil
        await Task.detached(priority: .utility) { LifecycleFiles.remove(url) }.value
    }

    // MARK: Retention

    /// Sets the retention and applies it at once (the core validates each number); what it
    /// purged, reduced and flagged is said in words.
    public func saveRetention(_ settings: RetentionSettings) async {
        notice = nil
        var report: RetentionReport?
        let ok = await perform {
            report = try await core.write("retention") { try $0.setRetentionSettings(settings: settings) }
        }
        guard ok, let report else { return }
        await load()
        notice = Self.retentionText(report, words)
    }

    nonisolated static func retentionText(_ r: RetentionReport, _ t: Words) -> String {
        retentionReportMessage(report: r, language: t.language)
    }

    // MARK: Emergency wipes

    /// A PIN that wipes the vault silently when entered at the PIN screen. The core says
    /// whether it may be chosen (as a new PIN, and not the PIN itself).
    @discardableResult
    public func setDuressPin(_ pin: String, repeated: String) async -> Bool {
        notice = nil
        guard pin == repeated else {
            message = words("De to PIN-koder er ikke ens.", "The two PINs differ.")
            return false
        }
        let ok = await perform { try await core.write("duress") { try $0.setDuressPin(duressPin: pin) } }
        guard ok else { return false }
        await load()
        notice = words("Nød-PIN-koden er sat.", "The duress PIN is set.")
        return true
    }

    public func removeDuressPin() async {
        notice = nil
        let ok = await perform { try await core.write("duress") { try $0.setDuressPin(duressPin: nil) } }
        guard ok else { return }
        await load()
        notice = words("Nød-PIN-koden er fjernet.", "The duress PIN is removed.")
    }

    /// Wipe after `days` without an unlock (nil: never); the core checks the range.
    public func setInactivityWipe(days: Int?) async {
        notice = nil
        let value = days.map { UInt32(clamping: $0) }
        let ok = await perform { try await core.write("inactivity-wipe") { try $0.setInactivityWipeDays(days: value) } }
        guard ok else { return }
        await load()
    }

    /// A PIN's problem as the core words it, as the worker types it.
    public func pinProblem(_ pin: String) -> String? {
        guard !pin.isEmpty else { return nil }
        return checkNewPin(pin: pin).map { words.error($0) }
    }
}
