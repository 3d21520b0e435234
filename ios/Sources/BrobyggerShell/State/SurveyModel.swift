import BrobyggerCore
import Combine
import Foundation

/// Survey mode: the phone in a citizen's hands after a talk. The core's `SurveyMode` holds
/// only the key that seals answers; the vault is locked throughout, so nothing but the form
/// can be read whatever the screen does. This model walks one form (an intro, the five
/// statements, thanks), stores it with `addAnswer`, starts the next, and ends in one of three
/// ways: the worker leaves with the PIN or Face ID, the core ends it after its idle time, or
/// the PIN is disabled by wrong tries. Every word comes from the core's survey catalogue, in
/// the language the citizen chooses; the worker's messages are in the worker's language.
@MainActor
public final class SurveyModel: ObservableObject, Identifiable {
    public enum Step: Equatable, Sendable {
        case intro
        /// The statement at this index (0-based) of `statements`.
        case statement(Int)
        case thanks
    }

    /// A choice on one statement: a step of the core's scale, or "rather not say".
    public enum Choice: Equatable, Sendable {
        case answer(UInt32)
        case skipped
    }

    /// How survey mode ended; the session moves to the matching screen.
    public enum Ending: Equatable, Sendable {
        /// The worker unlocked: back to the app.
        case left
        /// The core ended it (idle too long): the PIN screen.
        case expired
        /// Too many wrong PINs, or the phone's keys are gone: the recovery screen.
        case recoveryNeeded
        /// The duress PIN was typed to leave: the vault is gone, set-up as on a fresh install.
        case wiped
    }

    public nonisolated let id = UUID()
    public let venueId: String
    @Published public private(set) var language: Language
    @Published public private(set) var step: Step = .intro
    @Published public private(set) var choices: [Choice?]
    /// The worker's way out is open (PIN field, Face ID).
    @Published public var leaving = false
    /// For the worker: why leaving or storing did not work (the core's words).
    @Published public private(set) var message: String? = nil
    @Published public private(set) var busy = false
    @Published public private(set) var ended: Ending? = nil

    private let core: CoreClient
    private let mode: SurveyMode
    private let workerLanguage: Language
    /// Reads the biometric secret behind Face ID / Touch ID; nil when not set up.
    private let biometric: (() async throws -> Data)?
    /// "Face ID" or "Touch ID", for the button; nil when not offered.
    public let biometricName: String?
    /// Called once, when survey mode ends.
    var onEnded: ((Ending) -> Void)?
    private var resetTask: Task<Void, Never>?

    /// How long the thanks stay before the form starts again for the next citizen.
    public static let thanksSeconds = 8

    public init(core: CoreClient, mode: SurveyMode, biometric: (() async throws -> Data)? = nil, biometricName: String? = nil) {
        self.core = core
        self.mode = mode
        self.biometric = biometric
        self.biometricName = biometric == nil ? nil : biometricName
        venueId = mode.venueId()
        workerLanguage = core.words.language
        language = core.words.language
        choices = Array(repeating: nil, count: surveyStatements(language: core.words.language).count)
    }

    // MARK: The core's words, in the citizen's language

    public var statements: [SurveyStatement] { surveyStatements(language: language) }
    public var scale: [SurveyScaleStep] { surveyScale(language: language) }
    public func text(_ t: SurveyText) -> String { surveyText(text: t, language: language) }
    public func progress(_ index: Int) -> String { surveyProgress(number: UInt32(index + 1), language: language) }

    // MARK: The form

    public func switchLanguage() {
        language = language == .da ? .en : .da
    }

    public func begin() {
        step = statements.isEmpty ? .intro : .statement(0)
    }

    public func choose(_ choice: Choice) {
        guard case .statement(let i) = step, choices.indices.contains(i) else { return }
        choices[i] = choice
    }

    public func choice(at index: Int) -> Choice? {
        choices.indices.contains(index) ? choices[index] : nil
    }

    /// On to the next statement once this one has a choice.
    public func next() {
        guard case .statement(let i) = step, choice(at: i) != nil, i + 1 < choices.count else { return }
        step = .statement(i + 1)
    }

    public func back() {
        switch step {
        case .statement(let i) where i > 0: step = .statement(i - 1)
        case .statement: step = .intro
        default: break
        }
    }

    /// Whether the form can be sent: the last statement is reached and chosen.
    public var canSend: Bool {
        guard case .statement(let i) = step else { return false }
        return i == choices.count - 1 && choice(at: i) != nil
    }

    /// The form as the core takes it: 1–5, or nil where the citizen chose not to answer.
    public var answers: [UInt32?] {
        choices.map { choice -> UInt32? in
            if case .answer(let v)? = choice { return v }
            return nil
        }
    }

    /// Stores the form and thanks the citizen. A form with nothing answered is no form (the
    /// core refuses it): the citizen is thanked and nothing is stored. If survey mode has
    /// ended meanwhile (`Locked`), the form is not stored and the PIN screen follows.
    public func send() async {
        guard canSend, !busy else { return }
        let answers = self.answers
        if answers.allSatisfy({ $0 == nil }) {
            thank()
            return
        }
        let mode = self.mode
        busy = true
        defer { busy = false }
        do {
            try await core.vault.run { _ in try mode.addAnswer(answers: answers) }
            message = nil
            thank()
        } catch BrobyggerError.Locked {
            end(.expired)
        } catch {
            message = core.words.error(error)
        }
    }

    /// A fresh form for the next citizen, in the worker's language.
    public func reset() {
        resetTask?.cancel()
        resetTask = nil
        choices = Array(repeating: nil, count: choices.count)
        language = workerLanguage
        step = .intro
        leaving = false
        message = nil
    }

    private func thank() {
        step = .thanks
        resetTask?.cancel()
        resetTask = Task { [weak self] in
            try? await Task.sleep(for: .seconds(Self.thanksSeconds))
            guard !Task.isCancelled else { return }
            self?.reset()
        }
    }

    // MARK: Ending

    /// Whether the core still takes forms; after its idle time it does not, and the PIN
    /// screen follows. Called periodically and when the app comes back to the foreground.
    public func checkActive() async {
        guard ended == nil else { return }
        let mode = self.mode
        let active = (try? await core.vault.run { _ in mode.isActive() }) ?? false
        if !active { end(.expired) }
    }

    /// The worker takes the phone back with the PIN. Nothing typed: nothing happens (the
    /// button is off); a wrong PIN is counted by the core as on the lock screen, and survey
    /// mode goes on.
    public func leave(pin: String) async {
        guard !pin.isEmpty else { return }
        let mode = self.mode
        await leave { try await self.core.vault.run { _ in try mode.leaveWithPin(pin: pin) } }
    }

    /// The worker takes the phone back with Face ID / Touch ID (the same Keychain item as the
    /// lock screen). A cancelled prompt changes nothing.
    public func leaveWithBiometrics() async {
        guard let biometric else { return }
        let mode = self.mode
        let secret: Data
        do {
            secret = try await biometric()
        } catch let failure as BiometricSlot.Failure {
            message = failure.message(core.words)
            return
        } catch {
            message = core.words.error(error)
            return
        }
        await leave { try await self.core.vault.run { _ in try mode.leaveWithBiometric(secret: secret) } }
    }

    private func leave(_ call: () async throws -> Void) async {
        guard ended == nil, !busy else { return }
        busy = true
        defer { busy = false }
        do {
            try await call()
            message = nil
            end(.left)
        } catch BrobyggerError.NoVault {
            // Nothing may say why (a duress PIN must look like a fresh install).
            message = nil
            end(.wiped)
        } catch let e as BrobyggerError {
            message = core.words.error(e)
            switch e {
            case .PinDisabled, .PlatformKeysMissing: end(.recoveryNeeded)
            default: break
            }
        } catch {
            message = core.words.error(error)
        }
    }

    private func end(_ ending: Ending) {
        guard ended == nil else { return }
        resetTask?.cancel()
        resetTask = nil
        ended = ending
        leaving = false
        onEnded?(ending)
    }
}

/// The screen that hands the phone over: the venue the answers are counted at.
@MainActor
public final class SurveyStartModel: ScreenModel {
    @Published public private(set) var venues: [Venue] = []
    @Published public var venueId: String? = nil

    public func load() async {
        await perform {
            venues = try await core.read { try $0.listVenues() }
            if venueId == nil || !venues.contains(where: { $0.id == venueId }) { venueId = venues.first?.id }
        }
    }

    /// Starts survey mode through the session (which flushes drafts, locks and shows it).
    public func start(_ starter: (String) async throws -> Void) async {
        guard let venueId else { return }
        await perform { try await starter(venueId) }
    }
}
