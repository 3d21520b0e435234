import BrobyggerCore
import BrobyggerPlatformLogic
@testable import BrobyggerShell
import XCTest

/// Survey mode against the real core: forms are stored and counted, the vault stays locked
/// while the phone is with the citizen, and only the worker's PIN takes it back.
@MainActor
final class SurveyModelTests: XCTestCase {
    private var dir: URL!
    /// The day of `Fixture.start` at the venue (Copenhagen).
    private let day = DateComponents(year: 2030, month: 3, day: 4)

    override func setUp() async throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString, isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() async throws {
        try? FileManager.default.removeItem(at: dir)
    }

    /// A new vault (unlocked) with one venue, and the shell's client over it.
    private func session(_ clock: MovingClock) async throws -> (VaultActor, CoreClient, Venue) {
        let actor = VaultActor(directory: dir, keyStore: MemoryKeyStore(), clock: clock)
        let core = CoreClient(vault: actor, words: Words(language: .da), backgroundTasks: false)
        _ = try await actor.create(pin: Fixture.pin)
        let venue = try await actor.run { try $0.addVenue(venue: NewVenue(name: "Borgercaféen", kind: .municipal)) }
        return (actor, core, venue)
    }

    /// What the worker's "hand the phone over" does, without the session around it.
    private func handOver(_ actor: VaultActor, _ core: CoreClient, _ venue: Venue) async throws -> SurveyModel {
        let venueId = venue.id
        let mode = try await actor.run { try $0.startSurveyMode(venueId: venueId) }
        return SurveyModel(core: core, mode: mode)
    }

    /// The citizen's taps: begin, a choice per statement with "next" between, send.
    private func fill(_ model: SurveyModel, _ choices: [SurveyModel.Choice]) async {
        model.begin()
        for (i, choice) in choices.enumerated() {
            model.choose(choice)
            if i < choices.count - 1 { model.next() }
        }
        await model.send()
    }

    private func assertLocked(_ actor: VaultActor, file: StaticString = #filePath, line: UInt = #line) async {
        do {
            _ = try await actor.run { try $0.listCitizens() }
            XCTFail("the vault should be locked", file: file, line: line)
        } catch BrobyggerError.Locked {
        } catch {
            XCTFail("expected Locked, got \(error)", file: file, line: line)
        }
    }

    /// The survey table of the day's report at the venue (the worker must have unlocked).
    private func surveyRows(_ actor: VaultActor, _ venue: Venue) async throws -> [ReportRow] {
        let (day, venueId) = (self.day, venue.id)
        let report = try await actor.run {
            try $0.evaluationReport(from: day, to: day, venueId: venueId, language: .da)
        }
        return try XCTUnwrap(report.tables.first { $0.code == "survey" }).rows
    }

    func testFormsAreStoredAndEachCitizenGetsAFreshForm() async throws {
        let clock = MovingClock(Fixture.start)
        let (actor, core, venue) = try await session(clock)
        let model = try await handOver(actor, core, venue)
        await assertLocked(actor)
        XCTAssertEqual(model.step, .intro)
        XCTAssertEqual(model.statements.count, model.choices.count)

        let agree = try XCTUnwrap(model.scale.last).value
        let form: [SurveyModel.Choice] = [.answer(agree), .skipped, .answer(agree), .answer(agree), .answer(agree)]
        XCTAssertEqual(form.count, model.statements.count)
        for n in 1...5 {
            // The next citizen may read it in English; the reset brings back the worker's language.
            if n == 2 { model.switchLanguage() }
            await fill(model, form)
            XCTAssertNil(model.message)
            XCTAssertEqual(model.step, .thanks, "form \(n)")
            XCTAssertEqual(model.answers, [agree, nil, agree, agree, agree])
            model.reset()
            XCTAssertEqual(model.step, .intro)
            XCTAssertEqual(model.language, .da)
            XCTAssertTrue(model.choices.allSatisfy { $0 == nil })
        }
        // A form with nothing answered thanks the citizen and stores nothing.
        await fill(model, Array(repeating: .skipped, count: form.count))
        XCTAssertEqual(model.step, .thanks)
        XCTAssertNil(model.message)
        await assertLocked(actor)

        await model.leave(pin: Fixture.pin)
        XCTAssertEqual(model.ended, .left)
        let rows = try await surveyRows(actor, venue)
        let responses = try XCTUnwrap(rows.first { $0.code == "responses" })
        XCTAssertEqual(responses.cells[1].text, "5", "five forms, not the empty one")
        // The statement every citizen skipped: answered by none.
        XCTAssertEqual(rows[1].cells[1].text, "0")
        XCTAssertEqual(rows[0].cells[1].text, "5")
    }

    func testLeavingIsRefusedWithoutThePinAndAllowedWithIt() async throws {
        let clock = MovingClock(Fixture.start)
        let (actor, core, venue) = try await session(clock)
        let model = try await handOver(actor, core, venue)
        var endings: [SurveyModel.Ending] = []
        model.onEnded = { endings.append($0) }

        // Nothing typed: nothing is asked of the core.
        await model.leave(pin: "")
        XCTAssertNil(model.ended)
        XCTAssertNil(model.message)

        // A wrong PIN: the core's words for the worker; survey mode goes on, still locked.
        await model.leave(pin: "not-the-pin-7")
        XCTAssertNil(model.ended)
        let refusal = try XCTUnwrap(model.message)
        XCTAssertFalse(refusal.isEmpty)
        await model.checkActive()
        XCTAssertNil(model.ended)
        await assertLocked(actor)
        await fill(model, [.answer(4), .answer(4), .answer(4), .answer(4), .answer(4)])
        XCTAssertEqual(model.step, .thanks, "forms are still taken after a wrong PIN")

        // The PIN: survey mode ends and the vault is open again.
        await model.leave(pin: Fixture.pin)
        XCTAssertEqual(model.ended, .left)
        XCTAssertNil(model.message)
        XCTAssertEqual(endings, [.left])
        let venues = try await actor.run { try $0.listVenues() }
        XCTAssertEqual(venues.map(\.id), [venue.id])
        // Ended once: a second way out does nothing.
        await model.leave(pin: Fixture.pin)
        XCTAssertEqual(endings, [.left])
    }

    func testTheCoreEndsAnIdleSurveyAndAFormAfterThatIsNotStored() async throws {
        let clock = MovingClock(Fixture.start)
        let (actor, core, venue) = try await session(clock)
        let model = try await handOver(actor, core, venue)
        var endings: [SurveyModel.Ending] = []
        model.onEnded = { endings.append($0) }

        await model.checkActive()
        XCTAssertNil(model.ended)
        // Well past the core's idle time, the same day.
        clock.set(Fixture.start.addingTimeInterval(2 * 3600))
        await fill(model, [.answer(5), .answer(5), .answer(5), .answer(5), .answer(5)])
        XCTAssertEqual(model.ended, .expired)
        XCTAssertNotEqual(model.step, .thanks)
        XCTAssertEqual(endings, [.expired])
        await assertLocked(actor)

        try await actor.run { try $0.unlock(pin: Fixture.pin) }
        let rows = try await surveyRows(actor, venue)
        XCTAssertEqual(rows.first { $0.code == "responses" }?.cells[1].text, "0")
    }
}
