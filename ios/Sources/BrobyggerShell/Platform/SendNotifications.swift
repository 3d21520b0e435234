import BrobyggerCore
import BrobyggerPlatformLogic
import Foundation
import UIKit
import UserNotifications

/// Local notifications at the coming send times, from the core's PIN-free
/// `upcomingSends` (times and counts only: no names, no numbers, so the lock screen shows
/// nothing personal). Time-sensitive, so Focus modes let them through; "Send nu" opens the
/// compose queue. Re-planned after every write (the plan may have moved) and whenever the
/// app comes to the foreground; at most 64 are pending, as iOS allows.
@MainActor
public final class SendNotificationScheduler: NSObject, ObservableObject {
    public nonisolated static let category = "dk.brobygger.send"
    public nonisolated static let sendNowAction = "dk.brobygger.send-now"

    public enum Permission: Equatable, Sendable {
        case notAsked
        case allowed(timeSensitive: Bool)
        /// Turned off in Settings: the worker must open the app at the send times.
        case denied
    }

    @Published public private(set) var permission: Permission = .notAsked
    /// Texts whose send time passed without being sent (the phone was off, the app closed).
    @Published public private(set) var overdue = 0
    /// Texts beyond the 64 notifications; planned the next time the app runs.
    @Published public private(set) var notNotified = 0

    /// The worker tapped "Send nu" (or the notification itself).
    public var onSendNow: (@MainActor () -> Void)?

    private let center = UNUserNotificationCenter.current()
    private let core: CoreClient

    public init(core: CoreClient) {
        self.core = core
        super.init()
        center.delegate = self
        let sendNow = UNNotificationAction(
            identifier: Self.sendNowAction,
            title: core.words("Send nu", "Send now"),
            options: [.foreground])
        center.setNotificationCategories([
            UNNotificationCategory(identifier: Self.category, actions: [sendNow], intentIdentifiers: [], options: []),
        ])
    }

    /// Asks once (after set-up); later only reads what the worker chose in Settings.
    public func requestPermission() async {
        _ = try? await center.requestAuthorization(options: [.alert, .sound, .badge])
        await refreshPermission()
    }

    public func refreshPermission() async {
        let settings = await center.notificationSettings()
        switch settings.authorizationStatus {
        case .notDetermined: permission = .notAsked
        case .denied: permission = .denied
        default: permission = .allowed(timeSensitive: settings.timeSensitiveSetting == .enabled)
        }
    }

    /// Replaces the pending send notifications with a fresh plan from the core.
    public func replan() async {
        let sends: [UpcomingSend]
        do {
            sends = try await core.vault.run { try $0.upcomingSends(limit: UInt32(SendNotificationPlan.systemLimit + 1)) }
        } catch {
            // No vault yet, or the store failed: keep what is planned; the next replan retries.
            return
        }
        await refreshPermission()
        let pending = await center.pendingNotificationRequests()
        let ours = pending.map(\.identifier).filter { $0.hasPrefix(SendNotificationPlan.identifierPrefix) }
        let plan = SendNotificationPlan.plan(
            sends: sends.map { SendNotificationPlan.Send(at: $0.at, count: Int($0.count)) },
            now: Date(),
            capacity: SendNotificationPlan.systemLimit - (pending.count - ours.count))
        overdue = plan.overdue
        notNotified = plan.notNotified
        center.removePendingNotificationRequests(withIdentifiers: ours)
        guard case .allowed = permission else { return }
        for n in plan.notifications {
            let content = UNMutableNotificationContent()
            content.title = "Brobygger"
            content.body = SendNotificationPlan.body(count: n.count, moreFollow: n.moreFollow, danish: core.words.danish)
            content.sound = .default
            content.categoryIdentifier = Self.category
            content.threadIdentifier = Self.category
            content.interruptionLevel = .timeSensitive
            let when = Calendar.current.dateComponents([.year, .month, .day, .hour, .minute, .second], from: n.fireAt)
            let trigger = UNCalendarNotificationTrigger(dateMatching: when, repeats: false)
            try? await center.add(UNNotificationRequest(identifier: n.identifier, content: content, trigger: trigger))
        }
    }

    /// The vault was wiped: no notification may announce its texts. `replan` cannot do it (it
    /// keeps the plan when the core does not answer), so every pending and delivered one goes.
    public func removeAll() {
        center.removeAllPendingNotificationRequests()
        center.removeAllDeliveredNotifications()
        overdue = 0
        notNotified = 0
    }

    /// Takes the delivered send notifications off the lock screen once the queue opened.
    public func clearDelivered() {
        center.removeAllDeliveredNotifications()
    }
}

extension SendNotificationScheduler: UNUserNotificationCenterDelegate {
    public nonisolated func userNotificationCenter(
        _ center: UNUserNotificationCenter, didReceive response: UNNotificationResponse
    ) async {
        let category = response.notification.request.content.categoryIdentifier
        let action = response.actionIdentifier
        guard category == Self.category,
              action == Self.sendNowAction || action == UNNotificationDefaultActionIdentifier
        else { return }
        await MainActor.run { self.onSendNow?() }
    }

    /// In the foreground the banner still shows: the worker may be on another screen.
    public nonisolated func userNotificationCenter(
        _ center: UNUserNotificationCenter, willPresent notification: UNNotification
    ) async -> UNNotificationPresentationOptions {
        [.banner, .sound, .list]
    }
}
