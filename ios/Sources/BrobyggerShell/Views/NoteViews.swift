import BrobyggerCore
import BrobyggerPlatformLogic
import SwiftUI

/// Fast note capture: the text field has focus at once, everything is saved as it is
/// typed (the line under it says when), and before the vault locks the typed text is saved.
struct NoteEditorView: View {
    @EnvironmentObject private var app: AppModel
    @Environment(\.words) private var t
    @Environment(\.scenePhase) private var phase
    @StateObject private var model: NoteEditorModel
    @FocusState private var typing: Bool
    @State private var followUp = ""
    @State private var followUpDue: Date?
    @State private var followUpOwner: WorkerRole = .caseworker
    @State private var amendment = ""
    @State private var journalReference = ""
    @State private var citizens: [Citizen] = []
    private let flushId = UUID()
    private let core: CoreClient

    init(core: CoreClient, citizenId: String? = nil, noteId: String? = nil) {
        self.core = core
        _model = StateObject(wrappedValue: NoteEditorModel(core: core, citizenId: citizenId, noteId: noteId))
    }

    var body: some View {
        Form {
            if let note = model.finalized {
                finalizedSections(note)
            } else {
                draftSections
            }
            MessageSection(message: model.message)
        }
        .navigationTitle(t("Notat", "Note"))
        .task {
            await model.load()
            citizens = (try? await core.read { try $0.listCitizens() })?.citizens ?? []
            if model.finalized == nil { typing = true }
        }
        .onAppear { app.registerFlush(flushId) { await model.save() } }
        .onDisappear {
            app.unregisterFlush(flushId)
            Task { await model.save() }
        }
        .onChange(of: phase) { newPhase in
            if newPhase != .active { Task { await model.save() } }
        }
    }

    @ViewBuilder private var draftSections: some View {
        Section {
            TextEditor(text: $model.draft.text)
                .focused($typing)
                .frame(minHeight: 160)
                .accessibilityLabel(t("Notatets tekst", "The note's text"))
            saveState
        }
        Section {
            Picker(t("Borger", "Citizen"), selection: $model.draft.citizenId) {
                Text(t("Anonym samtale", "Anonymous conversation")).tag(String?.none)
                ForEach(citizens, id: \.id) { Text($0.nickname).tag(String?.some($0.id)) }
            }
        }
        Section(t("Emner", "Topics")) {
            ChoiceList(values: Choices.topics, selected: $model.draft.topics) { t.label($0) }
        }
        Section(t("Hjælp givet", "Help given")) {
            ChoiceList(values: Choices.helpGiven, selected: $model.draft.helpGiven) { t.label($0) }
        }
        Section(t("Opfølgning", "Follow-up")) {
            TextField(t("Hvad skal følges op?", "What needs following up?"), text: $followUp)
            Picker(t("Hvem", "Who"), selection: $followUpOwner) {
                ForEach(Choices.roles, id: \.self) { Text(t.label($0)).tag($0) }
            }
            DatePicker(t("Frist", "Due"), selection: Binding(get: { followUpDue ?? Date() }, set: { followUpDue = $0 }),
                       displayedComponents: .date)
            AsyncButton(t("Tilføj opfølgning", "Add follow-up")) {
                let due = followUpDue.map { WallClock.day(of: $0, calendar: .current) }
                if await model.addFollowUp(text: followUp, due: due, owner: followUpOwner) {
                    followUp = ""
                    followUpDue = nil
                }
            }
            .disabled(followUp.trimmingCharacters(in: .whitespaces).isEmpty)
        }
        Section {
            AsyncButton(t("Afslut notatet", "Finalise the note")) { await model.finalize() }
                .disabled(model.draft.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
            AsyncButton(t("Kassér kladden", "Discard the draft"), role: .destructive) { await model.discard() }
                .disabled(model.noteId == nil)
        } footer: {
            Text(t("Et afsluttet notat kan kun suppleres, ikke ændres.", "A finalised note can only be amended, not changed."))
        }
    }

    @ViewBuilder private var saveState: some View {
        if model.lastSaveFailed {
            Banner(text: t("Ikke gemt endnu; prøver igen.", "Not saved yet; trying again."), tone: .warning)
        } else if let saved = model.savedAt {
            Text(t("Gemt \(t.instant(saved))", "Saved \(t.instant(saved))"))
                .font(.footnote).foregroundStyle(.secondary)
                .accessibilityAddTraits(.updatesFrequently)
        }
    }

    @ViewBuilder private func finalizedSections(_ note: Note) -> some View {
        Section(t.label(note.state)) {
            Text(note.text).textSelection(.enabled)
            ForEach(note.amendments, id: \.id) { a in
                VStack(alignment: .leading) {
                    Text(t("Tilføjet \(t.instant(a.createdAt))", "Added \(t.instant(a.createdAt))"))
                        .font(.footnote).foregroundStyle(.secondary)
                    Text(a.text)
                }
                .accessibilityElement(children: .combine)
            }
        }
        Section(t("Tilføj til notatet", "Add to the note")) {
            TextField(t("Tilføjelse", "Amendment"), text: $amendment, axis: .vertical)
            AsyncButton(t("Tilføj", "Add")) {
                await model.amend(amendment)
                amendment = ""
            }
            .disabled(amendment.isEmpty)
        }
        if note.state == .final {
            Section(t("Journaliseret", "Journalised")) {
                TextField(t("Journalnummer", "Journal reference"), text: $journalReference)
                AsyncButton(t("Markér som journaliseret", "Mark as journalised")) { await model.journalise(journalReference) }
                    .disabled(journalReference.isEmpty)
            }
        } else if let reference = note.journalReference {
            ValueRow(label: t("Journalnummer", "Journal reference"), value: reference)
        }
    }
}

/// All notes, newest first, and search across them (pages from the core).
struct NotesView: View {
    @Environment(\.words) private var t
    @StateObject private var model: NotesModel
    private let core: CoreClient

    init(core: CoreClient) {
        self.core = core
        _model = StateObject(wrappedValue: NotesModel(core: core))
    }

    var body: some View {
        List {
            MessageSection(message: model.message)
            if model.unreadable > 0 {
                Banner(text: t("\(model.unreadable) notater kunne ikke åbnes.", "\(model.unreadable) notes could not be opened."),
                       tone: .warning)
            }
            ForEach(model.items, id: \.id) { n in
                NavigationLink {
                    NoteEditorView(core: core, noteId: n.id)
                } label: {
                    NoteSummaryRow(note: n)
                }
            }
            if model.hasMore {
                AsyncButton(t("Vis flere", "Show more")) { await model.more() }
            }
        }
        .searchable(text: $model.query, prompt: t("Søg i notater", "Search notes"))
        .onSubmit(of: .search) { Task { await model.load() } }
        .onChange(of: model.query) { q in if q.isEmpty { Task { await model.load() } } }
        .navigationTitle(t("Notater", "Notes"))
        .task { await model.load() }
    }
}
