@testable import BrobyggerPlatformLogic
import XCTest

final class WallClockTests: XCTestCase {
    private let copenhagen = WallClock.calendar(zone: "Europe/Copenhagen", base: Calendar(identifier: .gregorian))

    func testDateTimeRoundTripsAtMinutePrecision() throws {
        let instant = Date(timeIntervalSince1970: 1_774_951_230) // 2026-03-31 10:00:30 UTC
        let local = WallClock.dateTime(of: instant, calendar: copenhagen)
        XCTAssertEqual([local.year, local.month, local.day, local.hour, local.minute], [2026, 3, 31, 12, 0])
        XCTAssertNil(local.second)
        let back = try XCTUnwrap(WallClock.date(from: local, calendar: copenhagen))
        XCTAssertEqual(back.timeIntervalSince1970, 1_774_951_200)
    }

    func testDayAndTimeParts() {
        let instant = Date(timeIntervalSince1970: 1_774_951_230)
        XCTAssertEqual(WallClock.day(of: instant, calendar: copenhagen), DateComponents(year: 2026, month: 3, day: 31))
        XCTAssertEqual(WallClock.time(of: instant, calendar: copenhagen), DateComponents(hour: 12, minute: 0))
        XCTAssertNotNil(WallClock.date(from: DateComponents(hour: 17, minute: 0), calendar: copenhagen))
        XCTAssertEqual(WallClock.minutes(DateComponents(hour: 17, minute: 30)), 1050)
        XCTAssertTrue(WallClock.sameDay(DateComponents(year: 2026, month: 3, day: 31, hour: 9), DateComponents(year: 2026, month: 3, day: 31)))
    }

    func testUnknownZoneKeepsTheBaseCalendar() {
        let base = Calendar(identifier: .gregorian)
        XCTAssertEqual(WallClock.calendar(zone: "Not/AZone", base: base).timeZone, base.timeZone)
    }
}
