import BrobyggerCore
import BrobyggerPlatformLogic
import Foundation
import SwiftUI

/// The words the worker reads. Everything the core decides (errors, warnings, reasons,
/// states, labels) comes from the core's catalogue in the worker's language; the screens'
/// own short texts are written here in Danish and English side by side.
public struct Words: Sendable {
    public let language: Language

    public init(language: Language) {
        self.language = language
    }

    /// Danish unless the phone is set to English (`da-DK`, `en_GB`, ...).
    public init(locale: Locale = .current) {
        language = languageFromLocale(locale: locale.identifier)
    }

    public var danish: Bool { language == .da }

    /// The screen's own text: `t("Borgere", "Citizens")`.
    public func callAsFunction(_ da: String, _ en: String) -> String {
        danish ? da : en
    }

    public var locale: Locale { Locale(identifier: danish ? "da_DK" : "en_GB") }

    // The core's catalogue.

    /// The figures screen's picker headings.
    public var report: ReportLabels { reportLabels(language: language) }

    public func error(_ error: Error) -> String {
        if let e = error as? BrobyggerError { return errorMessage(error: e, language: language) }
        return self("Der skete en uventet fejl. Prøv igen.", "Something unexpected happened. Try again.")
    }

    public func warning(_ w: BookingWarning) -> String { warningMessage(warning: w, language: language) }
    public func noReminders(_ r: NoReminderReason) -> String { noRemindersMessage(reason: r, language: language) }
    public func attention(_ i: AttentionItem) -> String { attentionMessage(item: i, language: language) }
    public func dayNote(_ n: DayNote) -> String { dayNoteMessage(note: n, language: language) }
    public func reason(_ code: String) -> String { reminderReasonMessage(reason: code, language: language) }
    public func label(_ v: AppointmentKind) -> String { appointmentKindLabel(kind: v, language: language) }
    public func label(_ v: AppointmentStatus) -> String { appointmentStatusLabel(status: v, language: language) }
    public func label(_ v: ReminderState) -> String { reminderStateLabel(state: v, language: language) }
    public func label(_ v: ReminderKind) -> String { reminderKindLabel(kind: v, language: language) }
    public func label(_ v: Topic) -> String { topicLabel(topic: v, language: language) }
    public func label(_ v: HelpGiven) -> String { helpGivenLabel(help: v, language: language) }
    public func label(_ v: WorkerRole) -> String { workerRoleLabel(role: v, language: language) }
    public func label(_ v: ConsentMethod) -> String { consentMethodLabel(method: v, language: language) }
    public func label(_ v: AbsenceReason) -> String { absenceReasonLabel(reason: v, language: language) }
    public func label(_ v: NoteState) -> String { noteStateLabel(state: v, language: language) }
    public func label(_ v: IntegrityState) -> String { integrityLabel(state: v, language: language) }
    public func field(_ name: String) -> String { fieldLabel(field: name, language: language) ?? name }

    // Dates and times as the worker reads them ("tirsdag 31. marts", "10.00").

    public func day(_ c: DateComponents, zone: String? = nil) -> String {
        format(c, zone: zone) { $0.setLocalizedDateFormatFromTemplate("EEEEdMMMM") }
    }

    public func time(_ c: DateComponents, zone: String? = nil) -> String {
        format(c, zone: zone) { $0.setLocalizedDateFormatFromTemplate("HHmm") }
    }

    public func dayAndTime(_ c: DateComponents, zone: String? = nil) -> String {
        format(c, zone: zone) { $0.setLocalizedDateFormatFromTemplate("EEEdMMMHHmm") }
    }

    public func instant(_ date: Date) -> String {
        date.formatted(Date.FormatStyle(date: .abbreviated, time: .shortened).locale(locale))
    }

    public func percent(_ rate: Double?) -> String {
        guard let rate else { return "–" }
        return rate.formatted(.percent.precision(.fractionLength(1)).locale(locale))
    }

    private func format(_ c: DateComponents, zone: String?, _ configure: (DateFormatter) -> Void) -> String {
        let calendar = WallClock.calendar(zone: zone)
        guard let date = WallClock.date(from: c, calendar: calendar) else { return "–" }
        let f = DateFormatter()
        f.locale = locale
        f.calendar = calendar
        f.timeZone = calendar.timeZone
        configure(f)
        return f.string(from: date)
    }
}

private struct WordsKey: EnvironmentKey {
    static let defaultValue = Words(language: .da)
}

public extension EnvironmentValues {
    var words: Words {
        get { self[WordsKey.self] }
        set { self[WordsKey.self] = newValue }
    }
}

/// The core's enums in the order the pickers list them (the core's types are not
/// `CaseIterable`; a new case shows in the API snapshot and is added here).
public enum Choices {
    public static let topics: [Topic] = [
        .jobEducationRehabilitation, .mentalHealth, .physicalHealth, .alcoholDrugs, .financesHousing, .other,
    ]
    public static let helpGiven: [HelpGiven] = [
        .adviceOnSupport, .actionPlan, .forms, .financesOverview, .accompaniment, .healthSubstanceAdvice,
        .helpIntoTreatment, .dailyLifeSupport,
    ]
    public static let appointmentKinds: [AppointmentKind] = [
        .conversation, .statutoryMeeting, .accompaniment, .homeVisit, .groupActivity,
    ]
    public static let roles: [WorkerRole] = [.caseworker, .substanceAbuseWorker, .supportContactPerson]
    public static let consentMethods: [ConsentMethod] = [.verbal, .written, .sms, .other]
    public static let absenceReasons: [AbsenceReason] = [.vacation, .sick, .course, .other]
    /// Monday first, as in Denmark.
    public static let weekdays: [Weekday] = [.mon, .tue, .wed, .thu, .fri, .sat, .sun]
}

public extension Weekday {
    /// The weekday's name in the worker's language.
    func name(_ words: Words) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.locale = words.locale
        let names = calendar.standaloneWeekdaySymbols // Sunday first
        let index = [Weekday.sun, .mon, .tue, .wed, .thu, .fri, .sat].firstIndex(of: self) ?? 0
        return names.indices.contains(index) ? names[index].capitalized(with: words.locale) : "–"
    }
}
