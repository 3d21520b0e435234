import BrobyggerCore
import SwiftUI

/// The reminders: first what needs the worker (unknown, failed, held), then the rest.
/// Unknown and failed: send again or not. Held: approve this one text, or rewrite it with
/// the core measuring and linting as it is typed.
struct RemindersView: View {
    @EnvironmentObject private var app: AppModel
    @Environment(\.words) private var t
    @StateObject private var model: RemindersModel
    @State private var editing: Reminder?
    private let focus: String?
    private let core: CoreClient

    init(core: CoreClient, focus: String? = nil) {
        self.core = core
        self.focus = focus
        _model = StateObject(wrappedValue: RemindersModel(core: core))
    }

    var body: some View {
        content
            .navigationTitle(t("Påmindelser", "Reminders"))
            .task {
                await model.load()
                if let focus, let r = model.reminders.first(where: { $0.id == focus }) { editing = r }
            }
            .refreshable { await model.load() }
            .onReceive(core.planChanged) { _ in Task { await model.load() } }
            .sheet(item: Binding(get: { editing.map(EditingReminder.init) }, set: { editing = $0?.reminder })) { e in
                EditReminderTextView(model: model, reminder: e.reminder)
            }
    }

    @ViewBuilder private var content: some View {
        let list = List {
            MessageSection(message: model.message)
            Section {
                AsyncButton(action: { await app.sendDueTexts() }) {
                    Label(t("Send det, der skal sendes nu", "Send what is due now"), systemImage: "paperplane")
                }
            }
            if !model.needsWorker.isEmpty {
                Section(t("Kræver din stillingtagen", "Needs your decision")) {
                    ForEach(model.needsWorker, id: \.id) { r in
                        ReminderRow(reminder: r)
                        actions(r)
                    }
                }
            }
            Section(t("Øvrige", "Others")) {
                ForEach(model.others, id: \.id) { ReminderRow(reminder: $0) }
            }
        }
        if focus == nil {
            NavigationStack { list }
        } else {
            list
        }
    }

    @ViewBuilder private func actions(_ r: Reminder) -> some View {
        AdaptiveStack {
            if r.state == .planned, r.hold != nil {
                AsyncButton(t("Godkend", "Approve")) { await model.approve(r.id) }
                Button(t("Ret teksten", "Edit the text")) { editing = r }
            } else {
                AsyncButton(t("Send igen", "Send again")) { await model.resolve(r.id, .resend) }
                AsyncButton(t("Send ikke", "Do not send"), role: .destructive) { await model.resolve(r.id, .drop) }
            }
        }
        .buttonStyle(.bordered)
    }
}

/// `Reminder` as a sheet item.
private struct EditingReminder: Identifiable {
    let reminder: Reminder
    var id: String { reminder.id }
}

struct ReminderRow: View {
    @Environment(\.words) private var t
    let reminder: Reminder

    init(reminder: Reminder) {
        self.reminder = reminder
    }

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            AdaptiveStack {
                Text(t.label(reminder.kind)).font(.headline)
                Text(t.instant(reminder.sendAt)).foregroundStyle(.secondary)
            }
            Text(t.label(reminder.state)).font(.subheadline)
            if let reason = reminder.reason {
                Text(t.reason(reason)).font(.footnote).foregroundStyle(.secondary)
            }
            if !reminder.heldFor.isEmpty {
                Text(t("Ord der holdt teksten: \(reminder.heldFor.map(\.word).joined(separator: ", "))",
                       "Words that held the text: \(reminder.heldFor.map(\.word).joined(separator: ", "))"))
                    .font(.footnote).foregroundStyle(.orange)
            }
            if let text = reminder.text {
                Text(text).font(.callout).lineLimit(4)
            }
        }
        .accessibilityElement(children: .combine)
    }
}

/// Rewriting a text: the core normalises, counts segments and flags sensitive words live.
struct EditReminderTextView: View {
    @Environment(\.words) private var t
    @Environment(\.dismiss) private var dismiss
    @ObservedObject var model: RemindersModel
    let reminder: Reminder
    @State private var text: String

    init(model: RemindersModel, reminder: Reminder) {
        self.model = model
        self.reminder = reminder
        _text = State(initialValue: reminder.text ?? "")
    }

    var body: some View {
        let check = model.check(text)
        NavigationStack {
            Form {
                Section {
                    TextEditor(text: $text).frame(minHeight: 140)
                        .accessibilityLabel(t("Sms'ens tekst", "The text message"))
                }
                Section {
                    ValueRow(label: t("Dele", "Segments"), value: "\(check.segments)")
                    ValueRow(label: t("Tegnsæt", "Encoding"), value: check.encoding == .gsm7 ? "GSM-7" : "UCS-2")
                    ForEach(check.lint, id: \.word) { flag in
                        Banner(text: t("»\(flag.word)« kan afsløre for meget på en delt telefon.",
                                       "“\(flag.word)” may reveal too much on a shared phone."), tone: .warning)
                    }
                    if check.acceptable {
                        Text(t("Teksten kan sendes uden godkendelse.", "The text can go without approval."))
                            .foregroundStyle(.secondary)
                    }
                }
                MessageSection(message: model.message)
            }
            .navigationTitle(t("Ret sms", "Edit text"))
            .toolbar {
                ToolbarItem(placement: .cancellationAction) { Button(t("Annuller", "Cancel")) { dismiss() } }
                ToolbarItem(placement: .confirmationAction) {
                    AsyncButton(t("Gem", "Save")) { if await model.edit(reminder.id, text: text) { dismiss() } }
                }
            }
        }
    }
}
