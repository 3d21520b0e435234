@testable import BrobyggerPlatformLogic
import XCTest

final class SendNotificationPlanTests: XCTestCase {
    private var calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "Europe/Copenhagen") ?? .current
        return c
    }()
    private let now = Date(timeIntervalSince1970: 1_767_268_800) // 2026-01-01 12:00 UTC, on a minute

    private func send(_ seconds: TimeInterval, _ count: Int = 1) -> SendNotificationPlan.Send {
        .init(at: now.addingTimeInterval(seconds), count: count)
    }

    func testOnlyTheFirst64FitAndTheLastSaysMoreFollow() {
        let sends = (1...100).map { send(Double($0) * 3600, 2) }
        let plan = SendNotificationPlan.plan(sends: sends, now: now, calendar: calendar)
        XCTAssertEqual(plan.notifications.count, SendNotificationPlan.systemLimit)
        XCTAssertEqual(plan.notifications.map(\.fireAt), sends.prefix(64).map(\.at))
        XCTAssertEqual(plan.notifications.filter(\.moreFollow).map(\.fireAt), [sends[63].at])
        XCTAssertEqual(plan.notNotified, 36 * 2)
        XCTAssertEqual(plan.notifications.reduce(0) { $0 + $1.count } + plan.notNotified + plan.overdue, 200)
    }

    func testRoomLeftByOtherNotificationsIsRespected() {
        let sends = (1...10).map { send(Double($0) * 600) }
        let plan = SendNotificationPlan.plan(sends: sends, now: now, capacity: 4, calendar: calendar)
        XCTAssertEqual(plan.notifications.count, 4)
        XCTAssertEqual(plan.notNotified, 6)
        XCTAssertEqual(SendNotificationPlan.plan(sends: sends, now: now, capacity: -3, calendar: calendar).notifications, [])
    }

    func testSendsInOneMinuteShareANotificationFiredAtTheLatest() {
        let plan = SendNotificationPlan.plan(
            sends: [send(60 + 50, 1), send(60 + 5, 2), send(120, 4)], now: now, calendar: calendar)
        XCTAssertEqual(plan.notifications.map(\.count), [3, 4])
        XCTAssertEqual(plan.notifications.first?.fireAt, now.addingTimeInterval(110))
        XCTAssertEqual(plan.notifications.contains(where: \.moreFollow), false)
    }

    func testPassedSendTimesAreOverdueNotNotified() {
        let plan = SendNotificationPlan.plan(sends: [send(-7200, 3), send(0, 1), send(30, 2)], now: now, calendar: calendar)
        XCTAssertEqual(plan.overdue, 4)
        XCTAssertEqual(plan.notifications.map(\.count), [2])
    }

    func testIdentifiersAreOursAndUnique() {
        let plan = SendNotificationPlan.plan(sends: (1...64).map { send(Double($0) * 61) }, now: now, calendar: calendar)
        let ids = plan.notifications.map(\.identifier)
        XCTAssertEqual(Set(ids).count, ids.count)
        XCTAssertTrue(ids.allSatisfy { $0.hasPrefix(SendNotificationPlan.identifierPrefix) })
    }

    func testWordsCarryACountAndNothingElse() {
        XCTAssertEqual(SendNotificationPlan.body(count: 1, moreFollow: false, danish: true), "1 sms-påmindelse skal sendes nu.")
        XCTAssertEqual(SendNotificationPlan.body(count: 3, moreFollow: false, danish: false), "3 text reminders are due now.")
        XCTAssertTrue(SendNotificationPlan.body(count: 2, moreFollow: true, danish: true).hasSuffix("planlægge de næste."))
        XCTAssertNil(SendNotificationPlan.body(count: 12, moreFollow: true, danish: true).rangeOfCharacter(from: .init(charactersIn: "+@")))
    }

    func testEmptyAndZeroCounts() {
        XCTAssertEqual(SendNotificationPlan.plan(sends: [], now: now).notifications, [])
        XCTAssertEqual(SendNotificationPlan.plan(sends: [send(600, 0)], now: now).notifications, [])
    }
}
