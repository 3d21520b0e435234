import BrobyggerCore
import Foundation

/// "Gendan fra sikkerhedskopi" on the set-up screen: the picked file is copied into the app's
/// temporary folder (`LifecycleFiles`), then the recovery key and a new PIN go to the core's
/// `restoreBackup`, which verifies the whole file before it writes anything. What it brought
/// back is shown; a refusal is shown in the core's words: what is wrong with the file under
/// that key when the core finds a defect, otherwise the error's own words.
@MainActor
public final class RestoreModel: ObservableObject {
    public enum Step: Equatable {
        /// Pick the backup file.
        case pick
        /// The copy is made: the recovery key and a new PIN.
        case details
        /// Restored and unlocked; the report is shown until the worker goes on.
        case done(RestoreReport)
    }

    @Published public private(set) var step: Step = .pick
    @Published public var message: String? = nil
    @Published public private(set) var busy = false

    public let words: Words
    private let vault: VaultActor
    /// The app's own copy of the picked backup, until restored or given up.
    public private(set) var copy: URL?

    nonisolated static let copyName = "gendan.bbk"

    public init(vault: VaultActor, words: Words) {
        self.vault = vault
        self.words = words
    }

    /// The file importer's answer.
    public func picked(_ result: Result<URL, Error>) async {
        switch result {
        case .success(let url):
            await importBackup(url)
        case .failure(let error):
            if (error as? CocoaError)?.code == .userCancelled { return }
            message = words("Filen kunne ikke åbnes. Vælg den igen.", "The file could not be opened. Pick it again.")
        }
    }

    /// Copies the picked document (security-scoped) into the app's temporary folder, off the
    /// main thread.
    public func importBackup(_ picked: URL) async {
        busy = true
        defer { busy = false }
        await discardCopy()
        let name = Self.copyName
        do {
            copy = try await Task.detached(priority: .userInitiated) {
                try LifecycleFiles.copyIn(picked, name: name)
            }.value
            message = nil
            step = .details
        } catch {
            message = words("Filen kunne ikke læses. Vælg den igen, eller brug en anden kopi.",
                            "The file could not be read. Pick it again, or use another copy.")
        }
    }

    /// A new PIN's problem as the core words it, as it is typed.
    public func pinProblem(_ pin: String) -> String? {
        guard !pin.isEmpty else { return nil }
        return checkNewPin(pin: pin).map { words.error($0) }
    }

    /// The core restores into the empty vault folder; on success the copy goes and the
    /// report shows. A refusal leaves no vault and keeps the copy for another try.
    public func restore(recoveryKey: String, newPin: String, repeated: String) async {
        guard let copy else { return }
        guard newPin == repeated else {
            message = words("De to PIN-koder er ikke ens.", "The two PINs differ.")
            return
        }
        busy = true
        defer { busy = false }
        do {
            let report = try await vault.restore(backup: copy, recoveryKey: recoveryKey, newPin: newPin)
            await discardCopy()
            message = nil
            step = .done(report)
        } catch {
            message = await explain(error, copy: copy, recoveryKey: recoveryKey)
        }
    }

    /// Back to picking a file; the copy goes.
    public func cancel() async {
        await discardCopy()
        message = nil
        step = .pick
    }

    /// The core's words for a refused restore: its verdict on the file under this key when it
    /// finds a defect (wrong key, damaged, incomplete, newer format, not a backup), else the
    /// error's own message (a PIN it refuses, a full disk).
    private func explain(_ error: Error, copy: URL, recoveryKey: String) async -> String {
        let language = words.language
        if let check = try? await vault.checkBackup(copy, recoveryKey: recoveryKey, language: language),
           let text = check.message {
            return text
        }
        return words.error(error)
    }

    private func discardCopy() async {
        guard let url = copy else { return }
        copy = nil
        await Task.detached(priority: .utility) { LifecycleFiles.remove(url) }.value
    }

    /// What the restore brought back, in the core's words.
    public static func lines(_ r: RestoreReport, _ t: Words) -> [String] {
        [restoreReportMessage(report: r, language: t.language)]
    }
}
