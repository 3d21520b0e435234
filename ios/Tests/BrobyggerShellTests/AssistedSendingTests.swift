import BrobyggerCore
import BrobyggerPlatformLogic
@testable import BrobyggerShell
import XCTest

/// The compose queue against the real core: every sheet's answer reaches the core, and a
/// kill while sheets are queued or open ends in a state the worker is shown.
@MainActor
final class AssistedSendingTests: XCTestCase {
    private var dir: URL!
    private var defaults: UserDefaults!
    private var suite = ""

    override func setUp() async throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString, isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        suite = "dk.brobygger.tests.\(UUID().uuidString)"
        defaults = try XCTUnwrap(UserDefaults(suiteName: suite))
    }

    override func tearDown() async throws {
        try? FileManager.default.removeItem(at: dir)
        defaults.removePersistentDomain(forName: suite)
    }

    private func session(_ store: any KeyStore, _ clock: MovingClock) -> (VaultActor, CoreClient, ComposeQueue) {
        let actor = VaultActor(directory: dir, keyStore: store, clock: clock)
        let core = CoreClient(vault: actor, words: Words(language: .da), backgroundTasks: false)
        return (actor, core, ComposeQueue(core: core, journal: ComposeJournalStore(defaults: defaults)))
    }

    private func waitForSheet(_ queue: ComposeQueue) async throws -> ComposeItem {
        for _ in 0..<1000 where queue.current == nil {
            await Task.yield()
        }
        return try XCTUnwrap(queue.current)
    }

    private func state(_ core: CoreClient, _ id: String) async throws -> Reminder {
        let all = try await core.read { try $0.listReminders(appointmentId: nil) }
        return try XCTUnwrap(all.first { $0.id == id })
    }

    func testSentIsSentAndCancelledIsNotSentAndEachSheetFollowsTheLast() async throws {
        let clock = MovingClock(Fixture.start)
        let (actor, core, queue) = session(MemoryKeyStore(), clock)
        _ = try await actor.create(pin: Fixture.pin)
        let ids = try await actor.run { try Fixture.dueReminders($0, clock) }
        XCTAssertEqual(ids.count, 2)

        let sender = queue.makeSender(canSendText: true)
        let run = try await core.write("outbox") { try $0.runOutbox(sender: sender, limit: nil) }
        XCTAssertEqual(run.needsUser, 2)

        let first = try await waitForSheet(queue)
        XCTAssertEqual(first.reminderId, ids[0])
        XCTAssertEqual(first.number, "+4520304050")
        XCTAssertEqual(queue.waiting, 1)
        await queue.finish(first, .sent).value
        XCTAssertNil(queue.current)
        queue.presentNext() // what the sheet's onDismiss does
        let second = try XCTUnwrap(queue.current)
        XCTAssertEqual(second.reminderId, ids[1])
        await queue.finish(second, .cancelled).value

        let sent = try await state(core, ids[0])
        XCTAssertEqual(sent.state, .sent)
        let notSent = try await state(core, ids[1])
        XCTAssertEqual(notSent.state, .failed)
        XCTAssertEqual(notSent.reason, "not_sent_by_user")
        XCTAssertNotNil(queue.notice)
        XCTAssertTrue(ComposeJournalStore(defaults: defaults).read().entries.isEmpty)
    }

    func testAKillLeavesTheOpenSheetUnknownAndTheQueuedOneNotSent() async throws {
        let clock = MovingClock(Fixture.start)
        let store = MemoryKeyStore()
        var ids: [String] = []
        do {
            let (actor, core, queue) = session(store, clock)
            _ = try await actor.create(pin: Fixture.pin)
            ids = try await actor.run { try Fixture.dueReminders($0, clock) }
            let sender = queue.makeSender(canSendText: true)
            _ = try await core.write("outbox") { try $0.runOutbox(sender: sender, limit: nil) }
            let open = try await waitForSheet(queue)
            XCTAssertEqual(open.reminderId, ids[0])
            // The app is killed here: the first sheet is open, the second never shown.
        }
        let (_, core, queue) = session(store, clock)
        await queue.recoverAfterRestart()
        try await core.read { try $0.unlock(pin: Fixture.pin) }

        let neverShown = try await state(core, ids[1])
        XCTAssertEqual(neverShown.state, .failed, "never shown: certainly not sent, the worker may resend")
        let open = try await state(core, ids[0])
        XCTAssertEqual(open.state, .unknown, "shown without an answer: the worker decides")
        XCTAssertEqual(open.reason, "no_outcome_before_restart")
        XCTAssertNotNil(queue.notice)

        // The worker checked Messages and the text had gone: a late answer is still taken.
        let late = try await core.write("send-result") { try $0.recordSendResult(reminderId: ids[0], sent: true) }
        XCTAssertEqual(late.state, .sent)
    }

    func testWithoutSmsTheTextFailsVisiblyAndIsRetried() async throws {
        let clock = MovingClock(Fixture.start)
        let (actor, core, queue) = session(MemoryKeyStore(), clock)
        _ = try await actor.create(pin: Fixture.pin)
        let ids = try await actor.run { try Fixture.dueReminders($0, clock) }
        let sender = queue.makeSender(canSendText: false)
        let run = try await core.write("outbox") { try $0.runOutbox(sender: sender, limit: nil) }
        XCTAssertEqual(run.needsUser, 0)
        XCTAssertNil(queue.current)
        let r = try await state(core, ids[0])
        XCTAssertEqual(r.state, .failed)
        XCTAssertEqual(r.reason, "cannot_send_text")
        XCTAssertEqual(Words(language: .da).reason("cannot_send_text"), "Telefonen kunne ikke sende sms'en: telefonen kan ikke sende sms.")
    }

    func testUpcomingSendsFitTheNotificationPlan() async throws {
        let clock = MovingClock(Fixture.start)
        let (actor, _, _) = session(MemoryKeyStore(), clock)
        _ = try await actor.create(pin: Fixture.pin)
        _ = try await actor.run { vault -> [String] in
            let ids = try Fixture.dueReminders(vault, clock)
            clock.set(Fixture.start)
            return ids
        }
        let sends = try await actor.run { try $0.upcomingSends(limit: 65) }
        let plan = SendNotificationPlan.plan(
            sends: sends.map { SendNotificationPlan.Send(at: $0.at, count: Int($0.count)) }, now: Fixture.start)
        XCTAssertEqual(plan.notifications.count, 2)
        XCTAssertEqual(plan.overdue, 0)
        XCTAssertEqual(plan.notifications.map(\.count), [1, 1])
    }
}
