import Foundation

/// Local notifications for the coming send times. iOS keeps at most 64 pending
/// notifications per app; sends in the same minute share one notification, fired at the
/// latest of them so every text is due when the worker taps "Send nu".
public enum SendNotificationPlan {
    /// iOS's limit on pending local notifications per app.
    public static let systemLimit = 64
    /// The identifiers of the send notifications, so re-planning removes exactly these.
    public static let identifierPrefix = "dk.brobygger.send."

    public struct Send: Equatable, Sendable {
        public let at: Date
        public let count: Int

        public init(at: Date, count: Int) {
            self.at = at
            self.count = count
        }
    }

    public struct Notification: Equatable, Sendable {
        public let identifier: String
        public let fireAt: Date
        /// How many texts are due then (never who or to which number).
        public let count: Int
        /// The last one that fits: more sends follow that are not notified yet.
        public let moreFollow: Bool
    }

    public struct Plan: Equatable, Sendable {
        public let notifications: [Notification]
        /// Texts whose send time has passed (the phone was off, or the app not opened):
        /// shown in the app at once, not as a notification.
        public let overdue: Int
        /// Texts after the last notification that fits; planned when the app next runs.
        public let notNotified: Int
    }

    /// The plan for `sends` (the core's `upcomingSends`, read before `now`), with room for
    /// `capacity` notifications (64 less any other pending notifications of the app).
    public static func plan(sends: [Send], now: Date, capacity: Int = systemLimit, calendar: Calendar = .current) -> Plan {
        var overdue = 0
        var minutes: [(start: Date, fireAt: Date, count: Int)] = []
        for send in sends.sorted(by: { $0.at < $1.at }) where send.count > 0 {
            if send.at <= now {
                overdue += send.count
                continue
            }
            let start = calendar.dateInterval(of: .minute, for: send.at)?.start ?? send.at
            if let last = minutes.last, last.start == start {
                minutes[minutes.count - 1] = (start, max(last.fireAt, send.at), last.count + send.count)
            } else {
                minutes.append((start, send.at, send.count))
            }
        }
        let room = max(0, capacity)
        let kept = minutes.prefix(room)
        let notNotified = minutes.dropFirst(room).reduce(0) { $0 + $1.count }
        let notifications = kept.enumerated().map { index, group in
            Notification(
                identifier: identifierPrefix + String(Int(group.fireAt.timeIntervalSince1970.rounded(.up))),
                fireAt: group.fireAt,
                count: group.count,
                moreFollow: notNotified > 0 && index == kept.count - 1
            )
        }
        return Plan(notifications: notifications, overdue: overdue, notNotified: notNotified)
    }

    /// The notification's words: a count, never a name or a number (the lock screen shows it).
    public static func body(count: Int, moreFollow: Bool, danish: Bool) -> String {
        let texts = danish
            ? (count == 1 ? "1 sms-påmindelse skal sendes nu." : "\(count) sms-påmindelser skal sendes nu.")
            : (count == 1 ? "1 text reminder is due now." : "\(count) text reminders are due now.")
        guard moreFollow else { return texts }
        return texts + (danish ? " Åbn appen for at planlægge de næste." : " Open the app to plan the next ones.")
    }
}
