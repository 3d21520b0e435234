import BrobyggerCore
import BrobyggerPlatformLogic
@testable import BrobyggerShell
import XCTest

/// The data's lifecycle screens against the real core: the backup screen shows the core's
/// status in each of its states and leaves no temporary copy; the restore shows the core's
/// words for a refused file and leaves no vault; the audit list pages through the whole log
/// newest first; the wipes and the access-request export do what the core says.
@MainActor
final class LifecycleModelTests: XCTestCase {
    private var dir: URL!
    private let calendar = WallClock.calendar(zone: "Europe/Copenhagen", base: Calendar(identifier: .gregorian))
    private let words = Words(language: .da)

    override func setUp() async throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString, isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        LifecycleFiles.discardAll()
    }

    override func tearDown() async throws {
        try? FileManager.default.removeItem(at: dir)
        LifecycleFiles.discardAll()
    }

    /// A new vault in `dir/name` (unlocked), its recovery key, and the shell's client over it.
    private func vault(_ name: String, _ clock: MovingClock) async throws -> (VaultActor, CoreClient, String) {
        let actor = VaultActor(directory: dir.appendingPathComponent(name, isDirectory: true),
                               keyStore: MemoryKeyStore(), clock: clock)
        let core = CoreClient(vault: actor, words: words, backgroundTasks: false)
        let key = try await actor.create(pin: Fixture.pin)
        return (actor, core, key.reveal())
    }

    private func coreStatus(_ actor: VaultActor) async throws -> LifecycleStatus {
        try await actor.run { try $0.lifecycleStatus(language: .da) }
    }

    private func exists(_ url: URL?) -> Bool {
        guard let url else { return false }
        return FileManager.default.fileExists(atPath: url.path)
    }

    /// The error a direct core call throws, to compare the screen's words with.
    private func thrown(_ body: () async throws -> Void) async -> Error? {
        do {
            try await body()
            return nil
        } catch {
            return error
        }
    }

    // MARK: Backup status

    func testTheBackupScreenShowsTheCoresStatusInEachStateAndKeepsNoCopy() async throws {
        let clock = MovingClock(Fixture.start)
        let (actor, core, key) = try await vault("a", clock)
        let model = LifecycleModel(core: core, calendar: calendar, now: { clock.now() })

        // No backup yet: the core says so and calls it overdue.
        await model.load()
        XCTAssertNil(model.message)
        var status = try XCTUnwrap(model.status)
        var direct = try await coreStatus(actor)
        XCTAssertEqual(status, direct)
        XCTAssertNil(status.lastBackupAt)
        XCTAssertTrue(status.backupOverdue)
        XCTAssertTrue(status.backupReady, "a vault made now can be backed up at once")

        // A backup: written by the core into the app's temporary folder, named by the day only.
        await model.createBackup()
        XCTAssertNil(model.message)
        let copy = try XCTUnwrap(model.temporaryCopy)
        XCTAssertEqual(model.pendingExport?.url, copy)
        XCTAssertTrue(exists(copy))
        XCTAssertEqual(copy.deletingLastPathComponent().standardizedFileURL.path, LifecycleFiles.root.standardizedFileURL.path)
        XCTAssertEqual(copy.lastPathComponent,
                       ExportNaming.backup(on: WallClock.day(of: clock.now(), calendar: calendar), danish: true))
        let check = try await actor.checkBackup(copy, recoveryKey: key, language: .da)
        XCTAssertNil(check.defect, "the copy is a whole backup")
        status = try XCTUnwrap(model.status)
        direct = try await coreStatus(actor)
        XCTAssertEqual(status, direct, "reloaded after the backup")
        XCTAssertFalse(status.backupOverdue)
        XCTAssertNotNil(status.lastBackupAt)

        // Saved: the copy goes, the worker is told.
        await model.exportFinished(saved: true)
        XCTAssertNil(model.pendingExport)
        XCTAssertNil(model.temporaryCopy)
        XCTAssertFalse(exists(copy))
        XCTAssertNotNil(model.notice)

        // A cancelled picker, and a sheet swiped away: no copy either way, and neither backup
        // counts (the core is told): the saved one stays the last backup.
        let kept = status.lastBackupAt
        clock.set(clock.now().addingTimeInterval(60))
        await model.createBackup()
        let second = try XCTUnwrap(model.temporaryCopy)
        await model.exportFinished(saved: false)
        XCTAssertFalse(exists(second))
        clock.set(clock.now().addingTimeInterval(60))
        await model.createBackup()
        let third = try XCTUnwrap(model.temporaryCopy)
        await model.exportFinished(saved: nil)
        XCTAssertFalse(exists(third))
        let afterCancels = try await coreStatus(actor)
        XCTAssertEqual(afterCancels.lastBackupAt, kept)

        // Past the core's reminder days: overdue again, read while the vault has locked itself.
        let days = Double(status.retention.backupReminderDays + 1)
        clock.set(clock.now().addingTimeInterval(days * 86_400))
        await model.load()
        status = try XCTUnwrap(model.status)
        direct = try await coreStatus(actor)
        XCTAssertEqual(status, direct)
        XCTAssertTrue(status.backupOverdue)

        // Locked: no backup, the core's words, no copy.
        await actor.lock()
        await model.createBackup()
        XCTAssertEqual(model.message, words.error(BrobyggerError.Locked))
        XCTAssertNil(model.pendingExport)
        XCTAssertNil(model.temporaryCopy)
        let left = (try? FileManager.default.contentsOfDirectory(atPath: LifecycleFiles.root.path)) ?? []
        XCTAssertEqual(left, [], "no temporary copy left behind")
    }

    // MARK: Retention and wipes

    func testRetentionAndTheDuressPinAreTheCoresDecisions() async throws {
        let clock = MovingClock(Fixture.start)
        let (actor, core, _) = try await vault("a", clock)
        let model = LifecycleModel(core: core, calendar: calendar, now: { clock.now() })
        await model.load()
        let before = try XCTUnwrap(model.status).retention

        // A number the core refuses: its words, nothing changed.
        var refused = before
        refused.purgeAfterDays = 0
        await model.saveRetention(refused)
        let outOfRange = refused
        let direct = await thrown { _ = try await actor.run { try $0.setRetentionSettings(settings: outOfRange) } }
        XCTAssertEqual(model.message, words.error(try XCTUnwrap(direct)))
        let unchanged = try await coreStatus(actor).retention
        XCTAssertEqual(unchanged, before)

        var changed = before
        changed.purgeAfterDays = before.purgeAfterDays + 5
        await model.saveRetention(changed)
        XCTAssertNil(model.message)
        XCTAssertNotNil(model.notice)
        XCTAssertEqual(model.status?.retention, changed)

        // The duress PIN: two that differ are not sent; the PIN itself is the core's refusal.
        var accepted = await model.setDuressPin("4711-nod-pin", repeated: "4711-nod-pim")
        XCTAssertFalse(accepted)
        XCTAssertNotNil(model.message)
        accepted = await model.setDuressPin(Fixture.pin, repeated: Fixture.pin)
        XCTAssertFalse(accepted)
        let same = await thrown { try await actor.run { try $0.setDuressPin(duressPin: Fixture.pin) } }
        XCTAssertEqual(model.message, words.error(try XCTUnwrap(same)))
        XCTAssertEqual(model.status?.duressPinSet, false)

        accepted = await model.setDuressPin("4711-nod-pin", repeated: "4711-nod-pin")
        XCTAssertTrue(accepted)
        XCTAssertEqual(model.status?.duressPinSet, true)
        await model.removeDuressPin()
        XCTAssertEqual(model.status?.duressPinSet, false)
        accepted = await model.setDuressPin("4711-nod-pin", repeated: "4711-nod-pin")
        XCTAssertTrue(accepted)

        // Entered at the PIN screen: the vault is gone, `NoVault`, and nothing says why.
        await actor.lock()
        let wiped = await thrown { try await actor.run { try $0.unlock(pin: "4711-nod-pin") } }
        guard case BrobyggerError.NoVault? = wiped as? BrobyggerError else {
            return XCTFail("expected NoVault, got \(String(describing: wiped))")
        }
        await actor.forget()
        let there = await actor.exists()
        XCTAssertFalse(there)
        let notice = await actor.notice(language: .da)
        XCTAssertNil(notice, "a duress wipe looks like a fresh install")
    }

    func testTheDuressPinAtTheSurveysWayOutWipesWithoutAWord() async throws {
        let clock = MovingClock(Fixture.start)
        let (actor, core, _) = try await vault("a", clock)
        try await actor.run { try $0.setDuressPin(duressPin: "4711-nod-pin") }
        let venue = try await actor.run { try $0.addVenue(venue: NewVenue(name: "Borgercaféen", kind: .municipal)) }
        let venueId = venue.id
        let mode = try await actor.run { try $0.startSurveyMode(venueId: venueId) }
        let survey = SurveyModel(core: core, mode: mode)
        var endings: [SurveyModel.Ending] = []
        survey.onEnded = { endings.append($0) }

        await survey.leave(pin: "4711-nod-pin")
        XCTAssertEqual(endings, [.wiped])
        XCTAssertNil(survey.message, "nothing tells a duress wipe from a fresh install")
        await actor.forget()
        let there = await actor.exists()
        XCTAssertFalse(there)
    }

    func testTheInactivityWipeLeavesOnlyTheCoresNotice() async throws {
        let clock = MovingClock(Fixture.start)
        let (actor, core, _) = try await vault("a", clock)
        let model = LifecycleModel(core: core, calendar: calendar, now: { clock.now() })

        await model.setInactivityWipe(days: 0)
        let direct = await thrown { try await actor.run { try $0.setInactivityWipeDays(days: 0) } }
        XCTAssertEqual(model.message, words.error(try XCTUnwrap(direct)))
        var status = try await coreStatus(actor)
        XCTAssertNil(status.inactivityWipeDays)

        await model.setInactivityWipe(days: 3)
        XCTAssertNil(model.message)
        XCTAssertEqual(model.status?.inactivityWipeDays, 3)
        status = try await coreStatus(actor)
        XCTAssertEqual(model.status, status)
        var wiped = try await actor.enforceInactivityWipe()
        XCTAssertFalse(wiped, "not yet")
        var there = await actor.exists()
        XCTAssertTrue(there)

        clock.set(clock.now().addingTimeInterval(4 * 86_400))
        wiped = try await actor.enforceInactivityWipe()
        XCTAssertTrue(wiped)
        there = await actor.exists()
        XCTAssertFalse(there)
        let shown = await actor.notice(language: .da)
        let notice = try XCTUnwrap(shown)
        XCTAssertEqual(notice, wipeNotice(dir: dir.appendingPathComponent("a", isDirectory: true).path, language: .da))
        XCTAssertEqual(notice.afterDays, 3)
        wiped = try await actor.enforceInactivityWipe()
        XCTAssertFalse(wiped, "nothing left to wipe")
        try await actor.dismissNotice()
        let after = await actor.notice(language: .da)
        XCTAssertNil(after, "shown once")
    }

    // MARK: Restore

    private func assertVault(_ target: VaultActor, _ expected: Bool,
                             file: StaticString = #filePath, line: UInt = #line) async {
        let there = await target.exists()
        XCTAssertEqual(there, expected, expected ? "a vault" : "no vault", file: file, line: line)
    }

    func testARefusedRestoreShowsTheCoresWordsAndLeavesNoVault() async throws {
        let clock = MovingClock(Fixture.start)
        let (source, _, key) = try await vault("source", clock)
        _ = try await source.run { try Fixture.dueReminders($0, clock) }
        let backup = dir.appendingPathComponent("picked.bbk")
        _ = try await source.run { try $0.createBackup(outPath: backup.path) }
        let (_, _, otherKey) = try await vault("other", clock)

        let target = VaultActor(directory: dir.appendingPathComponent("target", isDirectory: true),
                                keyStore: MemoryKeyStore(), clock: clock)
        let model = RestoreModel(vault: target, words: words)
        XCTAssertEqual(model.step, .pick)
        await model.importBackup(backup)
        XCTAssertEqual(model.step, .details)
        let copy = try XCTUnwrap(model.copy)
        XCTAssertEqual(copy.deletingLastPathComponent().standardizedFileURL.path, LifecycleFiles.root.standardizedFileURL.path)
        XCTAssertEqual(try Data(contentsOf: copy), try Data(contentsOf: backup))

        // Two PINs that differ: not sent to the core.
        await model.restore(recoveryKey: key, newPin: "ny-pin-kode-2030", repeated: "ny-pin-kode-2031")
        XCTAssertNotNil(model.message)
        XCTAssertEqual(model.step, .details)

        // Another vault's key: the core's verdict on the file under that key.
        await model.restore(recoveryKey: otherKey, newPin: "ny-pin-kode-2030", repeated: "ny-pin-kode-2030")
        let wrong = try await target.checkBackup(copy, recoveryKey: otherKey, language: .da)
        XCTAssertEqual(wrong.defect, .wrongKey)
        XCTAssertEqual(model.message, wrong.message)
        XCTAssertEqual(model.step, .details)
        await assertVault(target, false)
        XCTAssertTrue(exists(copy), "kept for another try")

        // A file cut short: the core's words for that.
        let data = try Data(contentsOf: backup)
        let cut = dir.appendingPathComponent("cut.bbk")
        try data.prefix(data.count / 2).write(to: cut)
        await model.importBackup(cut)
        XCTAssertFalse(exists(copy), "the earlier copy went")
        let cutCopy = try XCTUnwrap(model.copy)
        await model.restore(recoveryKey: key, newPin: "ny-pin-kode-2030", repeated: "ny-pin-kode-2030")
        let damaged = try await target.checkBackup(cutCopy, recoveryKey: key, language: .da)
        XCTAssertNotNil(damaged.defect)
        XCTAssertEqual(model.message, damaged.message)
        await assertVault(target, false)

        // Not a backup at all.
        let text = dir.appendingPathComponent("notes.txt")
        try Data("ikke en sikkerhedskopi".utf8).write(to: text)
        await model.importBackup(text)
        await model.restore(recoveryKey: key, newPin: "ny-pin-kode-2030", repeated: "ny-pin-kode-2030")
        let notBackup = try await target.checkBackup(try XCTUnwrap(model.copy), recoveryKey: key, language: .da)
        XCTAssertEqual(model.message, notBackup.message)
        await assertVault(target, false)

        // Given up: the copy goes.
        let last = try XCTUnwrap(model.copy)
        await model.cancel()
        XCTAssertEqual(model.step, .pick)
        XCTAssertFalse(exists(last))
        XCTAssertNil(model.message)
    }

    func testARestoreBringsBackWhatTheCoreReportsUnlocked() async throws {
        let clock = MovingClock(Fixture.start)
        let (source, _, key) = try await vault("source", clock)
        _ = try await source.run { try Fixture.dueReminders($0, clock) }
        let backup = dir.appendingPathComponent("picked.bbk")
        _ = try await source.run { try $0.createBackup(outPath: backup.path) }
        let citizens = try await source.run { try $0.listCitizens() }.citizens

        let target = VaultActor(directory: dir.appendingPathComponent("target", isDirectory: true),
                                keyStore: MemoryKeyStore(), clock: clock)
        let model = RestoreModel(vault: target, words: words)
        await model.importBackup(backup)
        let copy = try XCTUnwrap(model.copy)
        await model.restore(recoveryKey: key, newPin: "ny-pin-kode-2030", repeated: "ny-pin-kode-2030")
        XCTAssertNil(model.message)
        guard case .done(let report) = model.step else { return XCTFail("not restored: \(String(describing: model.message))") }
        XCTAssertFalse(exists(copy), "the copy went")
        XCTAssertNil(model.copy)
        await assertVault(target, true)

        // The report counts what is in the restored vault, which is open under the new PIN.
        let restored = try await target.run { try $0.listCitizens() }.citizens
        XCTAssertEqual(restored.map(\.id), citizens.map(\.id))
        XCTAssertEqual(report.citizens, UInt32(restored.count))
        XCTAssertTrue(report.auditIntact)
        let lines = RestoreModel.lines(report, words)
        XCTAssertEqual(lines.count, 1)
        XCTAssertTrue(lines[0].hasPrefix(words.danish ? "Gendannet" : "Restored"), lines[0])
        await target.lock()
        try await target.run { try $0.unlock(pin: "ny-pin-kode-2030") }

        // A vault is there now: a second restore into the folder is the core's refusal.
        let again = RestoreModel(vault: target, words: words)
        await again.importBackup(backup)
        await again.restore(recoveryKey: key, newPin: "ny-pin-kode-2030", repeated: "ny-pin-kode-2030")
        XCTAssertEqual(again.message, words.error(BrobyggerError.VaultExists))
    }

    // MARK: Audit log

    func testTheAuditListPagesNewestFirstThroughTheWholeLog() async throws {
        let clock = MovingClock(Fixture.start)
        let (actor, core, _) = try await vault("a", clock)
        // Some audited changes: a retention setting, changed back and forth.
        let base = try await coreStatus(actor).retention
        for i in 0..<12 {
            var next = base
            next.backupReminderDays = base.backupReminderDays + UInt32(i % 2)
            let settings = next
            _ = try await actor.run { try $0.setRetentionSettings(settings: settings) }
        }
        let whole = try await actor.run { try $0.auditList(before: nil, limit: 1000, language: .da) }
        XCTAssertNil(whole.nextBefore)

        let model = AuditModel(core: core, pageSize: 5)
        await model.load()
        XCTAssertNil(model.message)
        let verified = try await actor.run { try $0.auditVerify(language: .da) }
        XCTAssertEqual(model.check, verified)
        XCTAssertNil(model.check?.problem)
        XCTAssertEqual(model.entries.count, 5)
        XCTAssertTrue(model.hasMore)

        var pages = 1
        while model.hasMore, pages <= whole.entries.count {
            let before = model.entries.count
            await model.loadMore()
            XCTAssertNil(model.message)
            XCTAssertGreaterThan(model.entries.count, before, "each page adds entries")
            pages += 1
        }
        XCTAssertFalse(model.hasMore)
        XCTAssertEqual(model.entries, whole.entries, "every entry once, newest first")
        XCTAssertEqual(model.entries.map(\.seq), model.entries.map(\.seq).sorted(by: >))
        XCTAssertEqual(model.unreadable, whole.unreadable)
        XCTAssertEqual(pages, (whole.entries.count + 4) / 5)

        // Nothing left: no call. A reload starts from the newest again.
        await model.loadMore()
        XCTAssertEqual(model.entries, whole.entries)
        await model.load()
        XCTAssertEqual(model.entries, Array(whole.entries.prefix(5)))

        // Locked: the list needs the vault open; the core's words.
        await actor.lock()
        await model.load()
        XCTAssertEqual(model.message, words.error(BrobyggerError.Locked))
    }

    // MARK: Access request

    func testTheAccessRequestIsTheCoresPageUnderANameWithoutTheCitizen() async throws {
        let clock = MovingClock(Fixture.start)
        let (actor, core, _) = try await vault("a", clock)
        let citizen = try await actor.run {
            try $0.addCitizen(citizen: NewCitizen(nickname: "Bo Ibsen", phone: nil, smsConsent: nil, language: .da))
        }
        let model = CitizenModel(core: core, citizenId: citizen.id, calendar: calendar, now: { clock.now() })
        await model.exportAccessRequest()
        XCTAssertNil(model.message)
        let url = try XCTUnwrap(model.pendingExport?.url)
        XCTAssertEqual(url.lastPathComponent,
                       ExportNaming.accessRequest(on: WallClock.day(of: clock.now(), calendar: calendar), danish: true))
        XCTAssertFalse(url.lastPathComponent.contains("Bo"), "no name in the file name")
        XCTAssertEqual(url.deletingLastPathComponent().standardizedFileURL.path, LifecycleFiles.root.standardizedFileURL.path)
        let page = try String(contentsOf: url, encoding: .utf8)
        XCTAssertTrue(page.contains("Bo Ibsen"), "the citizen's own page")
        let newest = try await actor.run { try $0.auditList(before: nil, limit: 1, language: .da) }.entries
        XCTAssertEqual(newest.first?.kind, .citizenExported, "the core audited it")

        await model.exportFinished()
        XCTAssertNil(model.pendingExport)
        XCTAssertFalse(exists(url), "the page in clear is gone")
    }
}
