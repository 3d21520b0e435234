import BrobyggerCore
import BrobyggerPlatformLogic
import Foundation

/// Today: the agenda, the day's notes (holiday, absence) and everything waiting for the
/// worker, from one core call; each attention item's action is one more call.
@MainActor
public final class TodayModel: ScreenModel {
    @Published public private(set) var today: Today? = nil
    @Published public var day: DateComponents = WallClock.day(of: Date(), calendar: .current)
    /// Set after a recovery-key rotation started from an attention item.
    @Published public private(set) var newRecoveryKey: [String]? = nil

    public func load() async {
        let day = self.day
        await perform { today = try await core.read { try $0.today(date: day) } }
    }

    public func resolve(_ reminderId: String, _ resolution: Resolution) async {
        await act { _ = try $0.resolveReminder(reminderId: reminderId, resolution: resolution) }
    }

    public func approve(_ reminderId: String) async {
        await act { _ = try $0.approveReminderText(reminderId: reminderId) }
    }

    public func outcome(_ appointmentId: String, _ outcome: Outcome) async {
        await act { _ = try $0.setOutcome(id: appointmentId, outcome: outcome) }
    }

    public func followUpDone(_ followUpId: String) async {
        await act { _ = try $0.setFollowUpDone(followUpId: followUpId, done: true) }
    }

    public func checkIntegrity() async {
        await act { _ = try $0.checkIntegrity() }
    }

    private func act(_ body: @escaping @Sendable (Vault) throws -> Void) async {
        if await perform({ try await core.write("today", body) }) {
            await load()
        }
    }
}
