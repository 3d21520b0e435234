import BrobyggerCore
import BrobyggerPlatformLogic
import SwiftUI

/// Everything that is not needed every hour.
struct MoreView: View {
    @Environment(\.words) private var t
    private let core: CoreClient

    init(core: CoreClient) {
        self.core = core
    }

    var body: some View {
        NavigationStack {
            List {
                NavigationLink { NotesView(core: core) } label: {
                    Label(t("Notater og søgning", "Notes and search"), systemImage: "doc.text.magnifyingglass")
                }
                NavigationLink { VenuesView(core: core) } label: {
                    Label(t("Væresteder, træffetider og fravær", "Venues, office hours and absences"), systemImage: "building.2")
                }
                NavigationLink { ProfileView(core: core) } label: {
                    Label(t("Min profil og sms-tekster", "My profile and texts"), systemImage: "person.crop.circle")
                }
                NavigationLink { ReportView(core: core) } label: {
                    Label(t("Udeblivelser", "No-shows"), systemImage: "chart.bar")
                }
                NavigationLink { FiguresView(core: core) } label: {
                    Label(t("Evaluering: tal og eksport", "Evaluation: figures and export"), systemImage: "chart.xyaxis.line")
                }
                NavigationLink { SurveyStartView(core: core) } label: {
                    Label(t("Tilfredshedsundersøgelse", "Satisfaction survey"), systemImage: "hand.raised")
                }
                NavigationLink { BackupView(core: core) } label: {
                    Label(t("Sikkerhedskopi", "Backup"), systemImage: "externaldrive")
                }
                NavigationLink { DataProtectionView(core: core) } label: {
                    Label(t("Opbevaring og nødsletning", "Retention and emergency wipes"), systemImage: "trash.slash")
                }
                NavigationLink { AuditView(core: core) } label: {
                    Label(t("Log over hændelser", "Event log"), systemImage: "list.bullet.rectangle")
                }
                NavigationLink { SettingsView() } label: {
                    Label(t("Indstillinger", "Settings"), systemImage: "gear")
                }
            }
            .navigationTitle(t("Mere", "More"))
        }
    }
}

/// Venues with their weekly hours, absences, and the coming Danish holidays.
struct VenuesView: View {
    @Environment(\.words) private var t
    @StateObject private var model: VenuesModel
    @State private var addingVenue = false
    @State private var addingHoursAt: Venue?
    @State private var addingAbsence = false

    init(core: CoreClient) {
        _model = StateObject(wrappedValue: VenuesModel(core: core))
    }

    var body: some View {
        List {
            MessageSection(message: model.message)
            ForEach(model.venues, id: \.id) { venue in
                Section {
                    ForEach(model.officeHours(at: venue.id), id: \.id) { h in
                        Text("\(h.weekday.name(t)) \(t.time(h.from))–\(t.time(h.to))")
                            .swipeActions {
                                AsyncButton(t("Fjern", "Remove"), role: .destructive) { await model.removeHours(h.id) }
                            }
                    }
                    Button(t("Tilføj træffetid", "Add office hours")) { addingHoursAt = venue }
                } header: {
                    Text(venue.name)
                } footer: {
                    Text([venue.address, venue.hasPrivateRoom ? t("Har et lukket rum", "Has a private room") : nil]
                        .compactMap { $0 }.joined(separator: " · "))
                }
            }
            Section {
                Button(t("Tilføj værested", "Add venue")) { addingVenue = true }
            }
            Section(t("Fravær", "Absences")) {
                ForEach(model.absences, id: \.id) { a in
                    ValueRow(label: t.label(a.reason), value: "\(t.day(a.from)) – \(t.day(a.to))")
                        .swipeActions {
                            AsyncButton(t("Fjern", "Remove"), role: .destructive) { await model.removeAbsence(a.id) }
                        }
                }
                Button(t("Tilføj fravær", "Add absence")) { addingAbsence = true }
            }
            Section(t("Helligdage", "Holidays")) {
                ForEach(model.holidays, id: \.date) { h in
                    ValueRow(label: t.danish ? h.nameDa : h.nameEn, value: t.day(h.date))
                }
            }
        }
        .navigationTitle(t("Væresteder", "Venues"))
        .task { await model.load() }
        .sheet(isPresented: $addingVenue) { AddVenueView(model: model) }
        .sheet(item: Binding(get: { addingHoursAt.map(VenueItem.init) }, set: { addingHoursAt = $0?.venue })) { item in
            AddHoursView(model: model, venue: item.venue)
        }
        .sheet(isPresented: $addingAbsence) { AddAbsenceView(model: model) }
    }
}

private struct VenueItem: Identifiable {
    let venue: Venue
    var id: String { venue.id }
}

struct AddVenueView: View {
    @Environment(\.words) private var t
    @Environment(\.dismiss) private var dismiss
    @ObservedObject var model: VenuesModel
    @State private var name = ""
    @State private var address = ""
    @State private var municipal = true
    @State private var privateRoom = false

    init(model: VenuesModel) {
        self.model = model
    }

    var body: some View {
        NavigationStack {
            Form {
                TextField(t("Navn", "Name"), text: $name)
                TextField(t("Adresse (valgfri)", "Address (optional)"), text: $address)
                Toggle(t("Kommunalt", "Municipal"), isOn: $municipal)
                Toggle(t("Har et lukket rum", "Has a private room"), isOn: $privateRoom)
                MessageSection(message: model.message)
            }
            .navigationTitle(t("Nyt værested", "New venue"))
            .toolbar {
                ToolbarItem(placement: .cancellationAction) { Button(t("Annuller", "Cancel")) { dismiss() } }
                ToolbarItem(placement: .confirmationAction) {
                    AsyncButton(t("Gem", "Save")) {
                        let venue = NewVenue(name: name, address: address.isEmpty ? nil : address,
                                             kind: municipal ? .municipal : .private, hasPrivateRoom: privateRoom, timeZone: nil)
                        if await model.addVenue(venue) { dismiss() }
                    }
                    .disabled(name.isEmpty)
                }
            }
        }
    }
}

struct AddHoursView: View {
    @Environment(\.words) private var t
    @Environment(\.dismiss) private var dismiss
    @ObservedObject var model: VenuesModel
    let venue: Venue
    @State private var weekday: Weekday = .tue
    @State private var from = Calendar.current.date(bySettingHour: 10, minute: 0, second: 0, of: Date()) ?? Date()
    @State private var to = Calendar.current.date(bySettingHour: 14, minute: 0, second: 0, of: Date()) ?? Date()

    init(model: VenuesModel, venue: Venue) {
        self.model = model
        self.venue = venue
    }

    var body: some View {
        NavigationStack {
            Form {
                Picker(t("Ugedag", "Weekday"), selection: $weekday) {
                    ForEach(Choices.weekdays, id: \.self) { Text($0.name(t)).tag($0) }
                }
                DatePicker(t("Fra", "From"), selection: $from, displayedComponents: .hourAndMinute)
                DatePicker(t("Til", "To"), selection: $to, displayedComponents: .hourAndMinute)
                MessageSection(message: model.message)
            }
            .navigationTitle(venue.name)
            .toolbar {
                ToolbarItem(placement: .cancellationAction) { Button(t("Annuller", "Cancel")) { dismiss() } }
                ToolbarItem(placement: .confirmationAction) {
                    AsyncButton(t("Gem", "Save")) {
                        if await model.addHours(venueId: venue.id, weekday: weekday, from: from, to: to) { dismiss() }
                    }
                }
            }
        }
    }
}

struct AddAbsenceView: View {
    @Environment(\.words) private var t
    @Environment(\.dismiss) private var dismiss
    @ObservedObject var model: VenuesModel
    @State private var from = Date()
    @State private var to = Date()
    @State private var reason: AbsenceReason = .vacation

    init(model: VenuesModel) {
        self.model = model
    }

    var body: some View {
        NavigationStack {
            Form {
                DatePicker(t("Fra", "From"), selection: $from, displayedComponents: .date)
                DatePicker(t("Til og med", "Until and including"), selection: $to, in: from..., displayedComponents: .date)
                Picker(t("Årsag", "Reason"), selection: $reason) {
                    ForEach(Choices.absenceReasons, id: \.self) { Text(t.label($0)).tag($0) }
                }
                MessageSection(message: model.message)
            }
            .navigationTitle(t("Fravær", "Absence"))
            .toolbar {
                ToolbarItem(placement: .cancellationAction) { Button(t("Annuller", "Cancel")) { dismiss() } }
                ToolbarItem(placement: .confirmationAction) {
                    AsyncButton(t("Gem", "Save")) {
                        if await model.addAbsence(from: from, to: to, reason: reason) { dismiss() }
                    }
                }
            }
        }
    }
}

/// The worker's profile (who signs every text), reminder rules and the SMS templates.
struct ProfileView: View {
    @Environment(\.words) private var t
    @StateObject private var model: ProfileModel

    init(core: CoreClient) {
        _model = StateObject(wrappedValue: ProfileModel(core: core))
    }

    var body: some View {
        Form {
            Section {
                TextField(t("Navn", "Name"), text: $model.name).textContentType(.name)
                TextField(t("Arbejdstelefon", "Work phone"), text: $model.phone)
                    .keyboardType(.phonePad).textContentType(.telephoneNumber)
                Picker(t("Rolle", "Role"), selection: $model.role) {
                    ForEach(Choices.roles, id: \.self) { Text(t.label($0)).tag($0) }
                }
                AsyncButton(t("Gem profil", "Save profile")) { await model.saveProfile() }
                if let saved = model.saved {
                    Banner(text: t("\(saved.remindersRewritten) ventende sms'er skrevet om, \(saved.remindersPlanned) påmindelser planlagt.",
                                   "\(saved.remindersRewritten) waiting texts rewritten, \(saved.remindersPlanned) reminders planned."))
                }
            } header: {
                Text(t("Profil", "Profile"))
            } footer: {
                Text(t("Navn og nummer står i hver sms til borgerne.", "Name and number appear in every text to citizens."))
            }
            if let rules = model.rules {
                RulesSection(rules: rules, save: { model.rules = $0; Task { await model.saveRules() } })
            }
            templates
            MessageSection(message: model.message)
        }
        .navigationTitle(t("Min profil", "My profile"))
        .task { await model.load() }
    }

    @ViewBuilder private var templates: some View {
        Section(t("Sms-skabeloner", "Text templates")) {
            ForEach(0..<ProfileModel.templateSlots.count, id: \.self) { index in
                let slot = ProfileModel.templateSlots[index]
                let language = slot.0
                let kind = slot.1
                let key = ProfileModel.templateKey(language, kind)
                TemplateEditor(
                    title: "\(language == .da ? "Dansk" : "English") · \(kind == .reminder ? t("påmindelse", "reminder") : t("bekræftelse", "confirmation"))",
                    text: model.templates[key] ?? "",
                    save: { text in await model.saveTemplate(language, kind, text: text) })
                    .id(model.templates[key] ?? "") // a new editor when the saved text changes
            }
        }
    }
}

/// One template: `{first_name} {weekday} {date} {time} {place} {worker_name} {worker_phone}`.
private struct TemplateEditor: View {
    @Environment(\.words) private var t
    let title: String
    let save: (String?) async -> Void
    @State private var text: String

    init(title: String, text: String, save: @escaping (String?) async -> Void) {
        self.title = title
        self.save = save
        _text = State(initialValue: text)
    }

    var body: some View {
        VStack(alignment: .leading) {
            Text(title).font(.subheadline.weight(.semibold))
            TextField(title, text: $text, axis: .vertical)
            AdaptiveStack {
                AsyncButton(t("Gem", "Save")) { await save(text) }
                AsyncButton(t("Standard", "Default")) { await save(nil) }
            }
            .buttonStyle(.bordered)
        }
    }
}

/// When reminders go (the core applies them; quiet hours 21–08 by default).
private struct RulesSection: View {
    @Environment(\.words) private var t
    let rules: ReminderRules
    let save: (ReminderRules) -> Void

    init(rules: ReminderRules, save: @escaping (ReminderRules) -> Void) {
        self.rules = rules
        self.save = save
    }

    var body: some View {
        Section(t("Påmindelser", "Reminders")) {
            Toggle(t("Dagen før", "The day before"), isOn: Binding(
                get: { rules.dayBeforeAt != nil },
                set: { on in
                    var r = rules
                    r.dayBeforeAt = on ? DateComponents(hour: 17, minute: 0) : nil
                    save(r)
                }))
            Stepper(value: Binding(
                get: { Int(rules.hoursBeforeMinutes ?? 0) / 60 },
                set: { hours in
                    var r = rules
                    r.hoursBeforeMinutes = hours > 0 ? UInt32(hours * 60) : nil
                    save(r)
                }), in: 0...24) {
                ValueRow(label: t("Timer før", "Hours before"),
                         value: rules.hoursBeforeMinutes.map { t("\($0 / 60) t", "\($0 / 60) h") } ?? t("Fra", "Off"))
            }
            ValueRow(label: t("Stille timer", "Quiet hours"), value: "\(t.time(rules.quietStart))–\(t.time(rules.quietEnd))")
        }
    }
}

/// The no-show figures for a period, overall, for statutory meetings, and with and without
/// a reminder: the figure the municipalities report.
struct ReportView: View {
    @Environment(\.words) private var t
    @StateObject private var model: ReportModel

    init(core: CoreClient) {
        _model = StateObject(wrappedValue: ReportModel(core: core))
    }

    var body: some View {
        Form {
            Section {
                DatePicker(t("Fra", "From"), selection: $model.from, displayedComponents: .date)
                DatePicker(t("Til", "To"), selection: $model.to, displayedComponents: .date)
                Picker(t("Værested", "Venue"), selection: $model.venueId) {
                    Text(t("Alle", "All")).tag(String?.none)
                    ForEach(model.venues, id: \.id) { Text($0.name).tag(String?.some($0.id)) }
                }
                AsyncButton(t("Opdatér", "Update")) { await model.load() }
            }
            if let r = model.report {
                Section(t("Udeblivelser", "No-shows")) {
                    rate(t("I alt", "Overall"), r.overall)
                    rate(t("Lovpligtige møder", "Statutory meetings"), r.statutory)
                    rate(t("Med sms-påmindelse", "With a text reminder"), r.withReminder)
                    rate(t("Uden sms-påmindelse", "Without a text reminder"), r.withoutReminder)
                }
                Section(t("Aftaler", "Appointments")) {
                    ValueRow(label: t("Booket", "Booked"), value: "\(r.booked)")
                    ValueRow(label: t("Mødt", "Attended"), value: "\(r.attended)")
                    ValueRow(label: t("Udeblevet", "No-show"), value: "\(r.noShow)")
                    ValueRow(label: t("Aflyst", "Cancelled"), value: "\(r.cancelled)")
                    ValueRow(label: t("Flyttet", "Rescheduled"), value: "\(r.rescheduled)")
                    ValueRow(label: t("Uden udfald", "Without outcome"), value: "\(r.`open`)")
                }
            }
            MessageSection(message: model.message)
        }
        .navigationTitle(t("Udeblivelser", "No-shows"))
        .task { await model.load() }
    }

    private func rate(_ label: String, _ f: RateFigures) -> some View {
        ValueRow(label: label, value: t("\(t.percent(f.rate)) (\(f.noShow) af \(f.attended + f.noShow))",
                                        "\(t.percent(f.rate)) (\(f.noShow) of \(f.attended + f.noShow))"))
    }
}
