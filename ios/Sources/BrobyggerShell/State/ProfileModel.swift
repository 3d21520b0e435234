import BrobyggerCore
import BrobyggerPlatformLogic
import Foundation

/// Who signs the reminders, the reminder rules, and the SMS templates. Saving the profile
/// rewrites the texts waiting in the outbox; the core says how many.
@MainActor
public final class ProfileModel: ScreenModel {
    @Published public var name = ""
    @Published public var phone = ""
    @Published public var role: WorkerRole = .caseworker
    @Published public private(set) var saved: ProfileSaved? = nil
    @Published public private(set) var profile: WorkerProfile? = nil
    @Published public var rules: ReminderRules? = nil
    @Published public var templates: [String: String] = [:]

    public static func templateKey(_ language: SmsLanguage, _ kind: TemplateKind) -> String {
        "\(language == .da ? "da" : "en")-\(kind == .reminder ? "reminder" : "confirmation")"
    }

    public static let templateSlots: [(SmsLanguage, TemplateKind)] = [
        (.da, .reminder), (.da, .confirmation), (.en, .reminder), (.en, .confirmation),
    ]

    public func load() async {
        await perform {
            profile = try await core.read { try $0.workerProfile() }
            rules = try await core.read { try $0.reminderRules() }
            for (language, kind) in Self.templateSlots {
                templates[Self.templateKey(language, kind)] =
                    try await core.read { try $0.smsTemplate(language: language, kind: kind) }
            }
        }
        if let profile {
            name = profile.name
            phone = profile.phoneDisplay
            role = profile.role
        }
    }

    public func saveProfile() async {
        let (n, p, r) = (name, phone, role)
        await perform {
            let result = try await core.write("profile") { try $0.setWorkerProfile(name: n, phone: p, role: r) }
            saved = result
            profile = result.profile
            phone = result.profile.phoneDisplay
        }
    }

    public func saveRules() async {
        guard let rules else { return }
        await perform { try await core.write("rules") { try $0.setReminderRules(rules: rules) } }
    }

    /// Sets a template (nil: back to the core's default) and shows the one now in force.
    public func saveTemplate(_ language: SmsLanguage, _ kind: TemplateKind, text: String?) async {
        await perform {
            templates[Self.templateKey(language, kind)] = try await core.write("template") {
                try $0.setSmsTemplate(language: language, kind: kind, text: text)
            }
        }
    }
}

/// The no-show figures (the municipalities' headline: from 13 % to under 2 %), for a
/// period and optionally one venue, as the core counts them.
@MainActor
public final class ReportModel: ScreenModel {
    @Published public var from: Date = Calendar.current.date(byAdding: .month, value: -3, to: Date()) ?? Date()
    @Published public var to = Date()
    @Published public var venueId: String? = nil
    @Published public private(set) var venues: [Venue] = []
    @Published public private(set) var report: NoShowReport? = nil

    public func load() async {
        let f = WallClock.day(of: from, calendar: .current)
        let t = WallClock.day(of: to, calendar: .current)
        let v = venueId
        await perform {
            venues = try await core.read { try $0.listVenues() }
            report = try await core.read { try $0.noShowReport(from: f, to: t, venueId: v) }
        }
    }
}
