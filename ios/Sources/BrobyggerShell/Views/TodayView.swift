import BrobyggerCore
import BrobyggerPlatformLogic
import SwiftUI
import UIKit

/// Today: what the device and notifications need from the worker, the day's notes, the
/// agenda, and the attention list with a one-tap action for each item.
struct TodayView: View {
    @EnvironmentObject private var app: AppModel
    @EnvironmentObject private var queue: ComposeQueue
    @EnvironmentObject private var notifications: SendNotificationScheduler
    @Environment(\.words) private var t
    @StateObject private var model: TodayModel
    private let core: CoreClient

    init(core: CoreClient) {
        self.core = core
        _model = StateObject(wrappedValue: TodayModel(core: core))
    }

    var body: some View {
        NavigationStack {
            List {
                sendingSection
                MessageSection(message: model.message)
                if let today = model.today {
                    if !today.dayNotes.isEmpty {
                        Section {
                            ForEach(Array(today.dayNotes.enumerated()), id: \.offset) { _, note in
                                Banner(text: t.dayNote(note), tone: .warning)
                            }
                        }
                    }
                    Section(t("Aftaler", "Appointments")) {
                        if today.appointments.isEmpty {
                            Text(t("Ingen aftaler.", "No appointments.")).foregroundStyle(.secondary)
                        }
                        ForEach(today.appointments, id: \.appointmentId) { item in
                            AgendaRow(item: item)
                        }
                    }
                    Section(t("Venter på dig", "Waiting for you")) {
                        if today.attention.isEmpty {
                            Text(t("Intet venter.", "Nothing is waiting.")).foregroundStyle(.secondary)
                        }
                        ForEach(Array(today.attention.enumerated()), id: \.offset) { _, item in
                            AttentionRow(item: item, model: model, core: core)
                        }
                        if today.more > 0 {
                            Text(t("og \(today.more) mere", "and \(today.more) more")).foregroundStyle(.secondary)
                        }
                    }
                }
            }
            .navigationTitle(model.today.map { t.day($0.date) } ?? t("I dag", "Today"))
            .refreshable { await model.load() }
            .task { await model.load() }
            .onReceive(core.planChanged) { _ in Task { await model.load() } }
        }
    }

    /// Sending: overdue texts, the device's ability to send, notifications turned off.
    @ViewBuilder private var sendingSection: some View {
        let overdue = notifications.overdue
        if overdue > 0 || queue.notice != nil || !queue.canSendText || notifications.permission == .denied || queue.waiting > 0 {
            Section {
                if overdue > 0 {
                    Banner(text: t("\(overdue) sms'er skulle være sendt (telefonen var slukket, eller appen var lukket).",
                                   "\(overdue) texts were due (the phone was off, or the app closed)."), tone: .warning)
                }
                if overdue > 0 || queue.waiting > 0 {
                    AsyncButton(action: { await app.sendDueTexts() }) {
                        Label(t("Send nu", "Send now"), systemImage: "paperplane")
                    }
                    .accessibilityHint(t("Åbner sms'erne én ad gangen.", "Opens the texts one at a time."))
                }
                if !queue.canSendText {
                    Banner(text: t("Denne enhed kan ikke sende sms (intet SIM-kort, eller en iPad). Påmindelser kan ikke sendes herfra.",
                                   "This device cannot send texts (no SIM, or an iPad). Reminders cannot be sent from here."),
                           tone: .error)
                }
                if notifications.permission == .denied {
                    Banner(text: t("Notifikationer er slået fra: du får ingen besked, når en sms skal sendes. Slå dem til under Indstillinger.",
                                   "Notifications are off: you are not told when a text is due. Turn them on in Settings."),
                           tone: .warning)
                    Button(t("Åbn Indstillinger", "Open Settings")) {
                        if let url = URL(string: UIApplication.openNotificationSettingsURLString) {
                            UIApplication.shared.open(url)
                        }
                    }
                }
                if let notice = queue.notice {
                    Banner(text: notice)
                    Button(t("OK", "OK")) { queue.notice = nil }
                }
            }
        }
    }
}

/// One appointment: time, who, where, what, and how its reminders stand.
struct AgendaRow: View {
    @Environment(\.words) private var t
    let item: AgendaItem

    init(item: AgendaItem) {
        self.item = item
    }

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            AdaptiveStack {
                Text("\(t.time(item.localStart, zone: item.timeZone))–\(t.time(item.localEnd, zone: item.timeZone))")
                    .font(.headline)
                Text(item.citizen ?? t("Slettet borger", "Deleted citizen"))
            }
            Text([t.label(item.kind), item.venue ?? item.outsidePlace].compactMap { $0 }.joined(separator: " · "))
                .font(.subheadline)
                .foregroundStyle(.secondary)
            if item.status != .planned {
                Text(t.label(item.status)).font(.subheadline)
            }
            reminderLine
        }
        .accessibilityElement(children: .combine)
    }

    @ViewBuilder private var reminderLine: some View {
        let r = item.reminders
        if r.unknown + r.failed > 0 {
            Label(t("Sms-påmindelse kræver din stillingtagen", "A text reminder needs your decision"),
                  systemImage: "exclamationmark.bubble")
                .font(.footnote).foregroundStyle(.orange)
        } else if let next = r.nextLocalSendAt {
            Label(t("Sms \(t.dayAndTime(next, zone: item.timeZone))", "Text \(t.dayAndTime(next, zone: item.timeZone))"),
                  systemImage: "bell")
                .font(.footnote).foregroundStyle(.secondary)
        } else if r.sent + r.delivered > 0 {
            Label(t("Sms sendt", "Text sent"), systemImage: "checkmark.bubble")
                .font(.footnote).foregroundStyle(.secondary)
        }
    }
}

/// One thing waiting for the worker, in the core's words, with its action.
struct AttentionRow: View {
    @Environment(\.words) private var t
    @EnvironmentObject private var app: AppModel
    let item: AttentionItem
    @ObservedObject var model: TodayModel
    let core: CoreClient

    init(item: AttentionItem, model: TodayModel, core: CoreClient) {
        self.item = item
        self.model = model
        self.core = core
    }

    var body: some View {
        VStack(alignment: .leading, spacing: 8) {
            Text(t.attention(item))
            actions
        }
        .buttonStyle(.bordered)
    }

    @ViewBuilder private var actions: some View {
        switch item {
        case .reminderUnknown(let id, _, _, _), .reminderFailed(let id, _, _, _):
            AdaptiveStack {
                AsyncButton(t("Send igen", "Send again")) { await model.resolve(id, .resend) }
                AsyncButton(t("Send ikke", "Do not send")) { await model.resolve(id, .drop) }
            }
        case .reminderHeld(let id, _, _, _, _, _):
            AdaptiveStack {
                AsyncButton(t("Godkend teksten", "Approve the text")) { await model.approve(id) }
                NavigationLink(t("Ret teksten", "Edit the text")) {
                    RemindersView(core: core, focus: id)
                }
            }
        case .outcomeMissing(let id, _, _):
            AdaptiveStack {
                AsyncButton(t("Mødt", "Attended")) { await model.outcome(id, .attended) }
                AsyncButton(t("Udeblev", "No-show")) { await model.outcome(id, .noShow) }
            }
        case .followUpDue(let id, _, _, _, _, _):
            AsyncButton(t("Udført", "Done")) { await model.followUpDone(id) }
        case .draftWaiting(let noteId, _, _), .notJournalised(let noteId, _, _):
            NavigationLink(t("Åbn notatet", "Open the note")) {
                NoteEditorView(core: core, noteId: noteId)
            }
        case .outboxKeyMissing:
            EmptyView()
        case .recoveryKeyRotationAdvised:
            AsyncButton(t("Lav en ny gendannelsesnøgle", "Make a new recovery key")) { await app.rotateRecoveryKey() }
        case .integrityProblem:
            AsyncButton(t("Tjek igen", "Check again")) { await model.checkIntegrity() }
        }
    }
}
