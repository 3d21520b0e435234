import BrobyggerCore
import Foundation
import SwiftUI

/// The screen state; every decision (lock, validation, note state) is the core's.
@MainActor
public final class VaultModel: ObservableObject {
    public enum Screen: Equatable {
        case setUp
        case showRecoveryKey(String)
        case unlock(message: String?)
        case home(citizens: [Citizen], notes: [Note], message: String?)
    }

    @Published public private(set) var screen: Screen
    private let dir: String
    private let keyStore = KeychainKeyStore()
    private let clock = SystemClock()
    private var vault: Vault?

    public init() {
        let support = FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask)[0]
        var vaultURL = support.appendingPathComponent("vault", isDirectory: true)
        try? FileManager.default.createDirectory(at: vaultURL, withIntermediateDirectories: true,
                                                 attributes: [.protectionKey: FileProtectionType.complete])
        var values = URLResourceValues()
        values.isExcludedFromBackup = true
        try? vaultURL.setResourceValues(values)
        dir = vaultURL.path
        screen = vaultExists(dir: dir) ? .unlock(message: nil) : .setUp
    }

    public func setUp(pin: String) {
        run {
            let created = try createVault(dir: dir, pin: pin, keyStore: keyStore, clock: clock)
            vault = created.vault
            screen = .showRecoveryKey(created.recoveryKey)
        }
    }

    public func unlock(pin: String) {
        run {
            let v = try vault ?? Vault.open(dir: dir, keyStore: keyStore, clock: clock)
            vault = v
            try v.unlock(pin: pin)
            try refresh()
        }
    }

    /// Called when the app leaves the foreground: keys leave memory at once.
    public func lock() {
        vault?.lock()
        if vaultExists(dir: dir) { screen = .unlock(message: nil) }
    }

    public func addCitizen(nickname: String, phone: String) {
        run {
            _ = try vault?.addCitizen(citizen: NewCitizen(
                nickname: nickname, phone: phone.isEmpty ? nil : phone, smsConsent: nil, language: .da, caseReference: nil))
            try refresh()
        }
    }

    /// Saves the draft as typed; durable in the core when it returns.
    public func saveDraft(id: String?, text: String) -> String? {
        var noteId = id
        run {
            guard let v = vault else { return }
            let input = NoteInput(citizenId: nil, text: text, topics: [], helpGiven: [])
            noteId = try id.map { try v.saveDraft(id: $0, note: input).id } ?? v.createNote(note: input).id
        }
        return noteId
    }

    public func finalize(id: String) {
        run {
            _ = try vault?.finalizeNote(id: id)
            try refresh()
        }
    }

    private func refresh() throws {
        guard let v = vault else { return }
        screen = .home(citizens: try v.listCitizens(), notes: try v.listNotes(citizenId: nil, limit: 50), message: nil)
    }

    private func run(_ body: () throws -> Void) {
        do {
            try body()
        } catch let e as BrobyggerError {
            switch (e, screen) {
            case (.Locked, _): screen = .unlock(message: Messages.danish(e))
            case (_, .home(let c, let n, _)): screen = .home(citizens: c, notes: n, message: Messages.danish(e))
            default: screen = .unlock(message: Messages.danish(e))
            }
        } catch {
            screen = .unlock(message: "Der skete en uventet fejl.")
        }
    }
}
