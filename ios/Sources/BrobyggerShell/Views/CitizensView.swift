import BrobyggerCore
import SwiftUI

/// The citizens: a list filtered as typed (names in the list; a number is looked up through
/// the core's blind index), and registering one.
struct CitizensView: View {
    @Environment(\.words) private var t
    @StateObject private var model: CitizensModel
    @State private var adding = false
    private let core: CoreClient

    init(core: CoreClient) {
        self.core = core
        _model = StateObject(wrappedValue: CitizensModel(core: core))
    }

    var body: some View {
        NavigationStack {
            List {
                MessageSection(message: model.message)
                if model.unreadable > 0 {
                    Banner(text: t("\(model.unreadable) borgere kunne ikke åbnes (beskadigede data).",
                                   "\(model.unreadable) citizens could not be opened (damaged data)."), tone: .warning)
                }
                ForEach(model.shown, id: \.id) { citizen in
                    NavigationLink {
                        CitizenDetailView(core: core, citizenId: citizen.id)
                    } label: {
                        VStack(alignment: .leading) {
                            Text(citizen.nickname).font(.headline)
                            if let phone = citizen.phoneDisplay {
                                Text(phone).font(.subheadline).foregroundStyle(.secondary)
                            }
                        }
                        .accessibilityElement(children: .combine)
                    }
                }
            }
            .searchable(text: $model.filter, prompt: t("Navn eller nummer", "Name or number"))
            .navigationTitle(t("Borgere", "Citizens"))
            .toolbar {
                Button { adding = true } label: {
                    Label(t("Ny borger", "New citizen"), systemImage: "person.badge.plus")
                }
            }
            .sheet(isPresented: $adding) {
                AddCitizenView(model: model)
            }
            .task { await model.load() }
            .refreshable { await model.load() }
        }
    }
}

/// Registering a citizen: only a nickname is needed; consent is recorded with how it was given.
struct AddCitizenView: View {
    @Environment(\.words) private var t
    @Environment(\.dismiss) private var dismiss
    @ObservedObject var model: CitizensModel
    @State private var nickname = ""
    @State private var phone = ""
    @State private var consent: ConsentMethod?
    @State private var language: SmsLanguage = .da
    @State private var caseReference = ""

    init(model: CitizensModel) {
        self.model = model
    }

    var body: some View {
        NavigationStack {
            Form {
                Section {
                    TextField(t("Kaldenavn eller fornavn", "Nickname or first name"), text: $nickname)
                        .textContentType(.nickname)
                    TextField(t("Mobilnummer (valgfrit)", "Mobile number (optional)"), text: $phone)
                        .keyboardType(.phonePad)
                        .textContentType(.telephoneNumber)
                    TextField(t("Sagsnummer (valgfrit)", "Case reference (optional)"), text: $caseReference)
                        .autocorrectionDisabled()
                } footer: {
                    Text(t("Skriv så lidt som muligt. Aldrig CPR-nummer.", "Record as little as possible. Never a CPR number."))
                }
                Section(t("Sms-påmindelser", "Text reminders")) {
                    Picker(t("Samtykke", "Consent"), selection: $consent) {
                        Text(t("Intet samtykke", "No consent")).tag(ConsentMethod?.none)
                        ForEach(Choices.consentMethods, id: \.self) { m in
                            Text(t.label(m)).tag(ConsentMethod?.some(m))
                        }
                    }
                    Picker(t("Sprog i sms", "Text language"), selection: $language) {
                        Text("Dansk").tag(SmsLanguage.da)
                        Text("English").tag(SmsLanguage.en)
                    }
                }
                MessageSection(message: model.message)
            }
            .navigationTitle(t("Ny borger", "New citizen"))
            .toolbar {
                ToolbarItem(placement: .cancellationAction) {
                    Button(t("Annuller", "Cancel")) { dismiss() }
                }
                ToolbarItem(placement: .confirmationAction) {
                    AsyncButton(t("Gem", "Save")) {
                        let new = NewCitizen(
                            nickname: nickname,
                            phone: phone.isEmpty ? nil : phone,
                            smsConsent: consent,
                            language: language,
                            caseReference: caseReference.isEmpty ? nil : caseReference)
                        if await model.add(new) != nil { dismiss() }
                    }
                    .disabled(nickname.trimmingCharacters(in: .whitespaces).isEmpty)
                }
            }
        }
    }
}

/// One citizen: details, whether reminders can go and why not, next appointments, latest
/// notes, open follow-ups; booking, a new note, consent, editing and deleting from here.
struct CitizenDetailView: View {
    @Environment(\.words) private var t
    @Environment(\.dismiss) private var dismiss
    @StateObject private var model: CitizenModel
    @State private var editing = false
    @State private var booking = false
    @State private var confirmDelete = false
    @State private var consentMethod: ConsentMethod = .verbal
    private let core: CoreClient

    init(core: CoreClient, citizenId: String) {
        self.core = core
        _model = StateObject(wrappedValue: CitizenModel(core: core, citizenId: citizenId))
    }

    var body: some View {
        List {
            MessageSection(message: model.message)
            if let o = model.overview {
                Section {
                    ValueRow(label: t.field("phone"), value: o.citizen.phoneDisplay ?? "–")
                    ValueRow(label: t("Sprog i sms", "Text language"), value: o.citizen.language == .da ? "Dansk" : "English")
                    if let ref = o.citizen.caseReference {
                        ValueRow(label: t.field("case_reference"), value: ref)
                    }
                    if let blocked = o.remindersBlocked {
                        Banner(text: t.noReminders(blocked), tone: .info)
                    }
                }
                Section(t("Samtykke til sms", "Consent to texts")) {
                    if let consent = o.citizen.smsConsent {
                        ValueRow(label: t.label(consent.method), value: t.instant(consent.givenAt))
                        AsyncButton(t("Træk samtykke tilbage", "Withdraw consent"), role: .destructive) {
                            await model.withdrawConsent()
                        }
                    } else {
                        Picker(t("Givet", "Given"), selection: $consentMethod) {
                            ForEach(Choices.consentMethods, id: \.self) { Text(t.label($0)).tag($0) }
                        }
                        AsyncButton(t("Registrér samtykke", "Record consent")) { await model.giveConsent(consentMethod) }
                    }
                }
                Section(t("Næste aftaler", "Next appointments")) {
                    ForEach(o.nextAppointments, id: \.appointmentId) { item in
                        NavigationLink {
                            BookingView(core: core, citizenId: model.citizenId, rescheduling: item.appointmentId)
                        } label: {
                            AgendaRow(item: item)
                        }
                        .accessibilityHint(t("Flyt aftalen", "Move the appointment"))
                        .swipeActions {
                            AsyncButton(t("Aflyst af borgeren", "Cancelled by the citizen"), role: .destructive) {
                                await model.cancel(item.appointmentId, by: .citizen)
                            }
                            AsyncButton(t("Aflys", "Cancel"), role: .destructive) {
                                await model.cancel(item.appointmentId, by: .worker)
                            }
                            AsyncButton(t("Bekræftet", "Confirmed")) { await model.confirm(item.appointmentId) }
                        }
                    }
                    if o.awaitingOutcome > 0 {
                        Text(t("\(o.awaitingOutcome) aftaler mangler udfald.", "\(o.awaitingOutcome) appointments need an outcome."))
                            .foregroundStyle(.secondary)
                    }
                    Button { booking = true } label: {
                        Label(t("Book aftale", "Book appointment"), systemImage: "calendar.badge.plus")
                    }
                }
                Section(t("Opfølgning", "Follow-ups")) {
                    ForEach(o.openFollowUps, id: \.id) { f in
                        Toggle(isOn: Binding(get: { f.done }, set: { on in Task { await model.followUpDone(f.id, on) } })) {
                            VStack(alignment: .leading) {
                                Text(f.text)
                                Text([t.label(f.owner), f.dueDate.map { t.day($0) }].compactMap { $0 }.joined(separator: " · "))
                                    .font(.footnote).foregroundStyle(.secondary)
                            }
                        }
                    }
                    if o.openFollowUpsTotal > UInt32(o.openFollowUps.count) {
                        Text(t("og \(o.openFollowUpsTotal - UInt32(o.openFollowUps.count)) mere",
                               "and \(o.openFollowUpsTotal - UInt32(o.openFollowUps.count)) more")).foregroundStyle(.secondary)
                    }
                }
                Section(t("Seneste notater", "Latest notes")) {
                    ForEach(o.latestNotes.items, id: \.id) { n in
                        NavigationLink {
                            NoteEditorView(core: core, noteId: n.id)
                        } label: {
                            NoteSummaryRow(note: n)
                        }
                    }
                    NavigationLink {
                        NoteEditorView(core: core, citizenId: model.citizenId)
                    } label: {
                        Label(t("Nyt notat", "New note"), systemImage: "square.and.pencil")
                    }
                }
                Section {
                    AsyncButton(action: { await model.exportAccessRequest() }) {
                        Label(t("Udlevér alt om borgeren (indsigt)", "Export everything about the citizen (access request)"),
                              systemImage: "doc.text")
                    }
                    .disabled(model.busy)
                } footer: {
                    Text(t("Én HTML-side med alt, der er registreret om borgeren, til en anmodning om indsigt. Gem den, hvor du vælger; appen beholder ingen kopi.",
                           "One HTML page with everything recorded about the citizen, for an access request. Save it where you choose; the app keeps no copy."))
                }
                Section {
                    Button(t("Ret oplysninger", "Edit details")) { editing = true }
                    Button(t("Slet borgeren", "Delete the citizen"), role: .destructive) { confirmDelete = true }
                }
            }
        }
        .navigationTitle(model.overview?.citizen.nickname ?? "")
        .task { await model.load() }
        .refreshable { await model.load() }
        .sheet(isPresented: $editing) {
            if let citizen = model.overview?.citizen {
                EditCitizenView(model: model, citizen: citizen)
            }
        }
        .sheet(isPresented: $booking, onDismiss: { Task { await model.load() } }) {
            NavigationStack { BookingView(core: core, citizenId: model.citizenId) }
        }
        .confirmationDialog(
            t("Slet borgeren og alle notater? Det kan ikke fortrydes.", "Delete the citizen and all notes? This cannot be undone."),
            isPresented: $confirmDelete, titleVisibility: .visible
        ) {
            AsyncButton(t("Slet", "Delete"), role: .destructive) { await model.delete() }
        }
        .onChange(of: model.deleted) { deleted in if deleted { dismiss() } }
        .sheet(item: $model.pendingExport, onDismiss: { Task { await model.exportFinished() } }) { export in
            DocumentExportPicker(url: export.url) { _ in
                Task { await model.exportFinished() }
            }
            .ignoresSafeArea()
        }
    }
}

struct EditCitizenView: View {
    @Environment(\.words) private var t
    @Environment(\.dismiss) private var dismiss
    @ObservedObject var model: CitizenModel
    @State private var nickname: String
    @State private var phone: String
    @State private var language: SmsLanguage
    @State private var caseReference: String

    init(model: CitizenModel, citizen: Citizen) {
        self.model = model
        _nickname = State(initialValue: citizen.nickname)
        _phone = State(initialValue: citizen.phoneDisplay ?? "")
        _language = State(initialValue: citizen.language)
        _caseReference = State(initialValue: citizen.caseReference ?? "")
    }

    var body: some View {
        NavigationStack {
            Form {
                TextField(t.field("nickname"), text: $nickname)
                TextField(t.field("phone"), text: $phone).keyboardType(.phonePad)
                Picker(t("Sprog i sms", "Text language"), selection: $language) {
                    Text("Dansk").tag(SmsLanguage.da)
                    Text("English").tag(SmsLanguage.en)
                }
                TextField(t.field("case_reference"), text: $caseReference)
                MessageSection(message: model.message)
            }
            .navigationTitle(t("Ret borger", "Edit citizen"))
            .toolbar {
                ToolbarItem(placement: .cancellationAction) { Button(t("Annuller", "Cancel")) { dismiss() } }
                ToolbarItem(placement: .confirmationAction) {
                    AsyncButton(t("Gem", "Save")) {
                        let edit = CitizenEdit(nickname: nickname, phone: phone.isEmpty ? nil : phone,
                                               language: language, caseReference: caseReference.isEmpty ? nil : caseReference)
                        if await model.edit(edit) { dismiss() }
                    }
                }
            }
        }
    }
}

/// A note in a list: when, with whom, its state and a line of text.
struct NoteSummaryRow: View {
    @Environment(\.words) private var t
    let note: NoteSummary

    init(note: NoteSummary) {
        self.note = note
    }

    var body: some View {
        VStack(alignment: .leading, spacing: 2) {
            AdaptiveStack {
                Text(note.citizenNickname ?? t("Anonym", "Anonymous")).font(.headline)
                Text(t.instant(note.occurredAt)).font(.subheadline).foregroundStyle(.secondary)
            }
            Text(note.snippet).lineLimit(2)
            Text(t.label(note.state)).font(.footnote).foregroundStyle(.secondary)
        }
        .accessibilityElement(children: .combine)
    }
}
