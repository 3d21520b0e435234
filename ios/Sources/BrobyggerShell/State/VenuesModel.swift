import BrobyggerCore
import BrobyggerPlatformLogic
import Foundation

/// Drop-in centres, the worker's weekly office hours at each, absences, and the year's
/// Danish holidays (all the core's; the booking preview warns against them).
@MainActor
public final class VenuesModel: ScreenModel {
    @Published public private(set) var venues: [Venue] = []
    @Published public private(set) var hours: [OfficeHours] = []
    @Published public private(set) var absences: [Absence] = []
    @Published public private(set) var holidays: [Holiday] = []

    public func load() async {
        await perform {
            venues = try await core.read { try $0.listVenues() }
            hours = try await core.read { try $0.listOfficeHours(venueId: nil) }
            absences = try await core.read { try $0.listAbsences() }
        }
        let year = Int32(Calendar.current.component(.year, from: Date()))
        holidays = danishHolidays(year: year) + danishHolidays(year: year + 1)
    }

    public func officeHours(at venueId: String) -> [OfficeHours] {
        hours.filter { $0.venueId == venueId }.sorted {
            (Choices.weekdays.firstIndex(of: $0.weekday) ?? 0, WallClock.minutes($0.from))
                < (Choices.weekdays.firstIndex(of: $1.weekday) ?? 0, WallClock.minutes($1.from))
        }
    }

    public func addVenue(_ venue: NewVenue) async -> Bool {
        await change { _ = try $0.addVenue(venue: venue) }
    }

    public func addHours(venueId: String, weekday: Weekday, from: Date, to: Date) async -> Bool {
        let f = WallClock.time(of: from, calendar: .current)
        let t = WallClock.time(of: to, calendar: .current)
        return await change {
            _ = try $0.addOfficeHours(venueId: venueId, weekday: weekday, from: f, to: t, validFrom: nil, validUntil: nil)
        }
    }

    public func removeHours(_ id: String) async {
        await change { try $0.removeOfficeHours(id: id) }
    }

    public func addAbsence(from: Date, to: Date, reason: AbsenceReason) async -> Bool {
        let f = WallClock.day(of: from, calendar: .current)
        let t = WallClock.day(of: to, calendar: .current)
        return await change { _ = try $0.addAbsence(from: f, to: t, reason: reason) }
    }

    public func removeAbsence(_ id: String) async {
        await change { try $0.removeAbsence(id: id) }
    }

    @discardableResult
    private func change(_ body: @escaping @Sendable (Vault) throws -> Void) async -> Bool {
        let ok = await perform { try await core.write("venues", body) }
        if ok { await load() }
        return ok
    }
}
