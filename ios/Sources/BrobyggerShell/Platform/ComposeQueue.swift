import BrobyggerCore
import BrobyggerPlatformLogic
import Foundation
import MessageUI
import SwiftUI

/// One text the worker is asked to send: the number and words only live here, in memory,
/// until the sheet closes.
public struct ComposeItem: Identifiable, Equatable, Sendable {
    public let reminderId: String
    public let number: String
    public let text: String
    public var id: String { reminderId }
}

/// The core's `SmsSender` on iOS. An app cannot send an SMS by itself: each text becomes a
/// compose sheet for the worker, and the core hears `NeedsUser` (it keeps the claim open
/// for 30 minutes). The journal is written before answering, so a kill right after is
/// still accounted for. Without SMS on this device (an iPad, no SIM) the text fails as
/// retryable with the catalogue's code `cannot_send_text`, which the worker sees.
public final class AssistedSmsSender: SmsSender, @unchecked Sendable {
    private let canSendText: Bool
    private let journal: ComposeJournalStore
    private let enqueue: @Sendable (ComposeItem) -> Void

    init(canSendText: Bool, journal: ComposeJournalStore, enqueue: @escaping @Sendable (ComposeItem) -> Void) {
        self.canSendText = canSendText
        self.journal = journal
        self.enqueue = enqueue
    }

    public func send(reminderId: String, number: String, text: String) throws -> SendOutcome {
        guard canSendText else { return .failed(retryable: true, reason: "cannot_send_text") }
        journal.update { $0.queued(reminderId) }
        enqueue(ComposeItem(reminderId: reminderId, number: number, text: text))
        return .needsUser
    }
}

/// The compose journal on disk: reminder ids and whether their sheet was shown (nothing
/// personal), in the app's own defaults. Thread-safe: the sender writes from the vault's
/// queue, the sheets from the main thread.
public final class ComposeJournalStore: @unchecked Sendable {
    private let lock = NSLock()
    private let defaults: UserDefaults
    private let key = "dk.brobygger.compose-journal"

    public init(defaults: UserDefaults = .standard) {
        self.defaults = defaults
    }

    public func read() -> ComposeJournal {
        lock.lock()
        defer { lock.unlock() }
        return load()
    }

    public func update(_ change: (inout ComposeJournal) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        var journal = load()
        change(&journal)
        if let data = try? JSONEncoder().encode(journal) { defaults.set(data, forKey: key) }
    }

    private func load() -> ComposeJournal {
        guard let data = defaults.data(forKey: key),
              let journal = try? JSONDecoder().decode(ComposeJournal.self, from: data)
        else { return ComposeJournal() }
        return journal
    }
}

/// Presents the queued texts one compose sheet after another and reports each result to
/// the core: `.sent` → sent; `.cancelled` / `.failed` → not sent (the worker may resend
/// from the reminder list). A sheet interrupted by the app being killed is left to the core,
/// which shows it as unknown after the restart; texts queued but never shown are reported
/// not sent at the next start.
@MainActor
public final class ComposeQueue: ObservableObject {
    @Published public private(set) var current: ComposeItem? = nil
    @Published public private(set) var waiting = 0
    /// Something the worker must know about the last result (shown under Today).
    @Published public var notice: String? = nil

    private var pending: [ComposeItem] = []
    private let core: CoreClient
    private let journal: ComposeJournalStore
    /// Called when the queue has run dry (the outbox may have more for the next run).
    public var onDrained: (@MainActor () -> Void)?

    public init(core: CoreClient, journal: ComposeJournalStore = ComposeJournalStore()) {
        self.core = core
        self.journal = journal
    }

    /// Whether this device can send a text at all (no SIM, an iPad: no).
    public var canSendText: Bool { MFMessageComposeViewController.canSendText() }

    /// A sender for one outbox run. Capability is read here, on the main thread (tests
    /// state it, as the simulator has no Messages).
    public func makeSender(canSendText: Bool? = nil) -> AssistedSmsSender {
        AssistedSmsSender(canSendText: canSendText ?? self.canSendText, journal: journal) { [weak self] item in
            Task { @MainActor in self?.enqueue(item) }
        }
    }

    func enqueue(_ item: ComposeItem) {
        guard current?.id != item.id, !pending.contains(where: { $0.id == item.id }) else { return }
        pending.append(item)
        waiting = pending.count
        if current == nil { presentNext() }
    }

    /// The vault was wiped: no sheet of its texts may show, and the journal's reminder ids
    /// belong to nothing any more.
    public func discardAll() {
        pending = []
        waiting = 0
        current = nil
        notice = nil
        journal.update { $0 = ComposeJournal() }
    }

    /// Called when a sheet has gone (SwiftUI's `onDismiss`): the next one, if any.
    public func presentNext() {
        guard current == nil else { return }
        guard !pending.isEmpty else {
            onDrained?()
            return
        }
        let next = pending.removeFirst()
        waiting = pending.count
        journal.update { $0.presented(next.reminderId) }
        current = next
    }

    /// The sheet's answer for `item`; the returned task ends when the core has it.
    @discardableResult
    public func finish(_ item: ComposeItem, _ outcome: ComposeOutcome) -> Task<Void, Never> {
        current = nil
        let words = core.words
        return Task {
            switch outcome.report {
            case .record(let sent):
                do {
                    _ = try await core.write("send-result") { try $0.recordSendResult(reminderId: item.reminderId, sent: sent) }
                    if !sent {
                        notice = words("Sms'en blev ikke sendt. Du kan sende den igen under Påmindelser.",
                                       "The text was not sent. You can send it again under Reminders.")
                    }
                } catch {
                    notice = words("Resultatet kunne ikke gemmes; påmindelsen vises som uvis, til du tager stilling.",
                                   "The result could not be saved; the reminder shows as unknown until you decide.")
                }
            case .leaveUnknown:
                notice = words("Det er uvist, om sms'en blev sendt. Tjek Beskeder, og tag stilling under Påmindelser.",
                               "It is not known whether the text was sent. Check Messages and decide under Reminders.")
            }
            journal.update { $0.finished(item.reminderId) }
        }
    }

    /// At start: what an earlier process left. Never-shown texts are reported not sent;
    /// shown ones without an answer stay with the core, which marks them unknown.
    public func recoverAfterRestart() async {
        let (notSent, unknown) = journal.read().recovery()
        for id in notSent {
            _ = try? await core.write("send-result") { try $0.recordSendResult(reminderId: id, sent: false) }
            journal.update { $0.finished(id) }
        }
        for id in unknown {
            journal.update { $0.finished(id) }
        }
        if !unknown.isEmpty {
            notice = core.words(
                "Appen blev lukket, mens en sms var åben. Tjek Beskeder, og tag stilling til den under I dag.",
                "The app closed while a text was open. Check Messages and decide on it under Today.")
        }
    }
}

/// MessageUI's compose sheet for one item.
struct MessageComposeView: UIViewControllerRepresentable {
    let item: ComposeItem
    let onFinish: @MainActor (ComposeOutcome) -> Void

    func makeCoordinator() -> Coordinator {
        Coordinator(onFinish: onFinish)
    }

    func makeUIViewController(context: Context) -> MFMessageComposeViewController {
        let controller = MFMessageComposeViewController()
        controller.recipients = [item.number]
        controller.body = item.text
        controller.messageComposeDelegate = context.coordinator
        return controller
    }

    func updateUIViewController(_ controller: MFMessageComposeViewController, context: Context) {}

    final class Coordinator: NSObject, MFMessageComposeViewControllerDelegate {
        let onFinish: @MainActor (ComposeOutcome) -> Void

        init(onFinish: @escaping @MainActor (ComposeOutcome) -> Void) {
            self.onFinish = onFinish
        }

        func messageComposeViewController(
            _ controller: MFMessageComposeViewController, didFinishWith result: MessageComposeResult
        ) {
            let outcome = ComposeOutcome(result)
            // MessageUI calls its delegate on the main thread.
            MainActor.assumeIsolated { onFinish(outcome) }
        }
    }
}

/// Hosts the queue's sheets over whatever screen is showing; none while `paused` (survey
/// mode: the phone is in a citizen's hands, and a sheet shows another citizen's number).
struct ComposeQueueHost: ViewModifier {
    @ObservedObject var queue: ComposeQueue
    var paused = false

    func body(content: Content) -> some View {
        content.sheet(
            item: Binding(get: { paused ? nil : queue.current }, set: { _ in }),
            onDismiss: { queue.presentNext() }
        ) { item in
            MessageComposeView(item: item) { outcome in queue.finish(item, outcome) }
                .ignoresSafeArea()
                // Only Send or Cancel close it, so every sheet gets an answer.
                .interactiveDismissDisabled()
        }
    }
}
