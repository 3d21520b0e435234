import Foundation

/// The core's calendar dates and wall-clock times are `DateComponents` in Swift
/// (LocalDate: year, month, day; LocalTime: hour, minute; LocalDateTime: both). These
/// helpers make them from the pickers' `Date`s and back, in a given calendar and zone.
public enum WallClock {
    public static func day(of date: Date, calendar: Calendar) -> DateComponents {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return DateComponents(year: c.year, month: c.month, day: c.day)
    }

    public static func time(of date: Date, calendar: Calendar) -> DateComponents {
        let c = calendar.dateComponents([.hour, .minute], from: date)
        return DateComponents(hour: c.hour, minute: c.minute)
    }

    /// A wall-clock date and time at minute precision (the core's LocalDateTime).
    public static func dateTime(of date: Date, calendar: Calendar) -> DateComponents {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return DateComponents(year: c.year, month: c.month, day: c.day, hour: c.hour, minute: c.minute)
    }

    /// The instant a wall-clock value names in `calendar`'s zone (for display and pickers).
    /// In a spring-forward gap Foundation moves it later, as the core does when booking.
    public static func date(from components: DateComponents, calendar: Calendar) -> Date? {
        var c = components
        c.calendar = nil
        c.timeZone = nil
        if c.year == nil, c.hour != nil {
            // A bare time of day: on a fixed reference day, only for showing it.
            c.year = 2001; c.month = 1; c.day = 1
        }
        return calendar.date(from: c)
    }

    /// A calendar in a venue's zone (the core's IANA name), the device's calendar otherwise.
    public static func calendar(zone identifier: String?, base: Calendar = .current) -> Calendar {
        var calendar = base
        if let identifier, let zone = TimeZone(identifier: identifier) {
            calendar.timeZone = zone
        }
        return calendar
    }

    /// The same calendar day.
    public static func sameDay(_ a: DateComponents, _ b: DateComponents) -> Bool {
        a.year == b.year && a.month == b.month && a.day == b.day
    }

    /// Minutes since midnight, for ordering times of day.
    public static func minutes(_ time: DateComponents) -> Int {
        (time.hour ?? 0) * 60 + (time.minute ?? 0)
    }
}
