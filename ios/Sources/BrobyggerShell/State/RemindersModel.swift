import BrobyggerCore
import Foundation

/// The reminder list (everything open plus the last 7 days): resolve an unknown or failed
/// one (send again / do not send), approve or rewrite a held text, and the core's check of
/// a text being written (segments, encoding, discretion lint).
@MainActor
public final class RemindersModel: ScreenModel {
    @Published public private(set) var reminders: [Reminder] = []

    /// Needs the worker: unknown, failed for good, or held.
    public var needsWorker: [Reminder] {
        reminders.filter { r in
            r.state == .unknown || (r.state == .failed && r.nextAttemptAt == nil) || (r.state == .planned && r.hold != nil)
        }
    }

    public var others: [Reminder] {
        let ids = Set(needsWorker.map(\.id))
        return reminders.filter { !ids.contains($0.id) }
    }

    public func load() async {
        await perform { reminders = try await core.read { try $0.listReminders(appointmentId: nil) } }
    }

    public func resolve(_ id: String, _ resolution: Resolution) async {
        await change { _ = try $0.resolveReminder(reminderId: id, resolution: resolution) }
    }

    public func approve(_ id: String) async {
        await change { _ = try $0.approveReminderText(reminderId: id) }
    }

    public func edit(_ id: String, text: String) async -> Bool {
        await change { _ = try $0.editReminderText(reminderId: id, text: text) }
    }

    /// The core's measure of a text as it is typed (no vault call).
    public func check(_ text: String) -> TextCheck {
        checkSmsText(text: text)
    }

    @discardableResult
    private func change(_ body: @escaping @Sendable (Vault) throws -> Void) async -> Bool {
        let ok = await perform { try await core.write("reminder", body) }
        if ok { await load() }
        return ok
    }
}
