import Foundation
#if canImport(MessageUI)
import MessageUI
#endif

/// What the compose sheet answered for one text.
public enum ComposeOutcome: Equatable, Sendable {
    case sent
    case cancelled
    case failed
    /// A result this version does not know (a future MessageUI case).
    case unrecognised
}

/// What the shell tells the core about a text it handed to the worker.
public enum SendReport: Equatable, Sendable {
    /// `recordSendResult(reminderId:sent:)` with this value.
    case record(sent: Bool)
    /// Nothing: the claim runs out and the core shows the reminder as unknown, so the
    /// worker decides. Used when the shell cannot tell whether the text went out.
    case leaveUnknown
}

public extension ComposeOutcome {
    /// `.sent` is sent; `.cancelled` and `.failed` did not leave the phone (the worker can
    /// resend from the reminder list); anything else stays the core's unknown.
    var report: SendReport {
        switch self {
        case .sent: return .record(sent: true)
        case .cancelled, .failed: return .record(sent: false)
        case .unrecognised: return .leaveUnknown
        }
    }
}

#if canImport(MessageUI)
public extension ComposeOutcome {
    init(_ result: MessageComposeResult) {
        switch result {
        case .sent: self = .sent
        case .cancelled: self = .cancelled
        case .failed: self = .failed
        @unknown default: self = .unrecognised
        }
    }
}
#endif

/// Which of the texts handed to the worker were shown, kept across a kill of the app
/// (reminder ids only: random, nothing personal). After a restart a text that was queued
/// but never shown certainly did not go out; one whose sheet was open may have.
public struct ComposeJournal: Codable, Equatable, Sendable {
    public enum Stage: String, Codable, Sendable {
        case queued
        case presented
    }

    public private(set) var entries: [String: Stage]

    public init(entries: [String: Stage] = [:]) {
        self.entries = entries
    }

    public mutating func queued(_ reminderId: String) {
        if entries[reminderId] == nil { entries[reminderId] = .queued }
    }

    public mutating func presented(_ reminderId: String) {
        entries[reminderId] = .presented
    }

    public mutating func finished(_ reminderId: String) {
        entries[reminderId] = nil
    }

    /// What a new process does with what an earlier one left: report the never-shown as not
    /// sent (the worker can resend them), and leave the shown-without-answer to the core,
    /// which marks them unknown and shows them to the worker. Sorted, for a stable order.
    public func recovery() -> (reportNotSent: [String], leaveUnknown: [String]) {
        let notSent = entries.filter { $0.value == .queued }.map(\.key).sorted()
        let unknown = entries.filter { $0.value == .presented }.map(\.key).sorted()
        return (notSent, unknown)
    }
}
