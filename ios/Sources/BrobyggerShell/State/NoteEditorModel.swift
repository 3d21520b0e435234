import BrobyggerCore
import BrobyggerPlatformLogic
import Foundation

/// Fast note capture: the draft is saved as it is typed (debounced, one save at a time,
/// the latest text always saved last), durable in the core when a save returns; finalise,
/// discard, follow-ups. Before the vault locks the app flushes what is typed.
@MainActor
public final class NoteEditorModel: ScreenModel {
    public struct Draft: Equatable, Sendable {
        public var citizenId: String?
        public var text = ""
        public var topics: [Topic] = []
        public var helpGiven: [HelpGiven] = []
    }

    @Published public var draft: Draft {
        didSet { edited() }
    }
    @Published public private(set) var noteId: String? = nil
    @Published public private(set) var savedAt: Date? = nil
    @Published public private(set) var finalized: Note? = nil

    private var autosave: AutosaveState<Draft>
    private var debounce: Task<Void, Never>?
    /// How long typing must pause before a save.
    public static let pause: Duration = .milliseconds(700)

    public init(core: CoreClient, citizenId: String? = nil, noteId: String? = nil) {
        let start = Draft(citizenId: citizenId)
        draft = start
        autosave = AutosaveState(content: start)
        self.noteId = noteId
        super.init(core: core)
    }

    /// Opens an existing draft (from Today's "draft waiting" or a list).
    public func load() async {
        guard let id = noteId else { return }
        await perform {
            let note = try await core.read { try $0.getNote(id: id) }
            let loaded = Draft(citizenId: note.citizenId, text: note.text, topics: note.topics, helpGiven: note.helpGiven)
            autosave = AutosaveState(content: loaded)
            draft = loaded
            if note.state != .draft { finalized = note }
        }
    }

    public var isDirty: Bool { autosave.isDirty }
    public var lastSaveFailed: Bool { autosave.lastFailed }

    private func edited() {
        autosave.edit(draft)
        debounce?.cancel()
        debounce = Task { [weak self] in
            try? await Task.sleep(for: Self.pause)
            guard !Task.isCancelled else { return }
            await self?.save()
        }
    }

    /// Saves now (also the flush before locking). Saves never overlap: a call waits for the
    /// running one, then saves whatever is still unsaved, so it returns with the text as typed
    /// saved (or the failure shown).
    public func save() async {
        while let running = saving {
            await running.value
        }
        let task = Task { await saveUnsaved() }
        saving = task
        await task.value
        saving = nil
    }

    private var saving: Task<Void, Never>?

    private func saveUnsaved() async {
        while let next = autosave.beginSave() {
            let (revision, content) = (next.revision, next.content)
            let input = NoteInput(citizenId: content.citizenId, text: content.text,
                                  topics: content.topics, helpGiven: content.helpGiven)
            let existing = noteId
            let ok = await perform {
                let saved = try await core.write("note") { (vault: Vault) throws -> NoteSaved in
                    if let existing { return try vault.saveDraft(id: existing, note: input) }
                    return try vault.createNote(note: input)
                }
                noteId = saved.id
                savedAt = saved.updatedAt
            }
            autosave.finishSave(revision: revision, succeeded: ok)
            if !ok { break }
        }
    }

    public func finalize() async {
        debounce?.cancel()
        await save()
        guard let id = noteId, !autosave.isDirty else { return }
        await perform { finalized = try await core.write("note") { try $0.finalizeNote(id: id) } }
    }

    public func discard() async {
        debounce?.cancel()
        guard let id = noteId else { return }
        await perform {
            try await core.write("note") { try $0.discardDraft(id: id) }
            noteId = nil
            autosave = AutosaveState(content: Draft())
            draft = Draft()
        }
    }

    public func addFollowUp(text: String, due: DateComponents?, owner: WorkerRole) async -> Bool {
        await save()
        guard let id = noteId else { return false }
        return await perform {
            _ = try await core.write("note") {
                try $0.addFollowUp(noteId: id, followUp: FollowUpInput(text: text, dueDate: due, owner: owner))
            }
        }
    }

    public func amend(_ text: String) async {
        guard let id = noteId else { return }
        await perform { finalized = try await core.write("note") { try $0.amendNote(id: id, text: text) } }
    }

    public func journalise(_ reference: String) async {
        guard let id = noteId else { return }
        await perform { finalized = try await core.write("note") { try $0.markJournalised(id: id, reference: reference) } }
    }
}

/// Notes list and search: pages from the core, one page of plaintext in memory at a time.
@MainActor
public final class NotesModel: ScreenModel {
    @Published public private(set) var items: [NoteSummary] = []
    @Published public private(set) var unreadable: UInt32 = 0
    @Published public var query = ""
    private var cursor: String?

    public var hasMore: Bool { cursor != nil }

    public func load() async {
        cursor = nil
        items = []
        await more()
    }

    public func more() async {
        let q = query.trimmingCharacters(in: .whitespacesAndNewlines)
        let after = cursor
        await perform {
            let page = try await core.read { vault in
                try q.isEmpty
                    ? vault.listNotes(citizenId: nil, limit: 30, cursor: after)
                    : vault.searchNotes(query: q, limit: 30, cursor: after)
            }
            items += page.items
            unreadable += page.unreadable
            cursor = page.nextCursor
        }
    }
}
