import BrobyggerCore
import BrobyggerPlatformLogic
@testable import BrobyggerShell
import Combine
import XCTest

/// The figures screen's state against the real core: it shows the core's report for the
/// pickers as it is, the core's refusals in the core's words, and exports the core's files
/// under names without personal data.
@MainActor
final class FiguresModelTests: XCTestCase {
    private var dir: URL!
    private let calendar = WallClock.calendar(zone: "Europe/Copenhagen", base: Calendar(identifier: .gregorian))

    override func setUp() async throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString, isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() async throws {
        try? FileManager.default.removeItem(at: dir)
        ExportFolder.discard()
    }

    /// A vault with an appointment and its reminders (the fixture's) and one venue; the model
    /// reads "today" from the same clock as the core.
    private func session() async throws -> (VaultActor, CoreClient, Venue, FiguresModel, MovingClock) {
        let clock = MovingClock(Fixture.start)
        let actor = VaultActor(directory: dir, keyStore: MemoryKeyStore(), clock: clock)
        let core = CoreClient(vault: actor, words: Words(language: .da), backgroundTasks: false)
        _ = try await actor.create(pin: Fixture.pin)
        _ = try await actor.run { try Fixture.dueReminders($0, clock) }
        let venue = try await actor.run {
            try $0.addVenue(venue: NewVenue(name: "Borgercaféen Nord", kind: .municipal))
        }
        let model = FiguresModel(core: core, calendar: calendar, now: { clock.now() })
        return (actor, core, venue, model, clock)
    }

    private func date(_ y: Int, _ m: Int, _ d: Int) throws -> Date {
        try XCTUnwrap(calendar.date(from: DateComponents(year: y, month: m, day: d)))
    }

    private func coreReport(_ actor: VaultActor, _ q: FiguresModel.Query) async throws -> EvaluationReport {
        try await actor.run { try $0.evaluationReport(from: q.from, to: q.to, venueId: q.venueId, language: q.language) }
    }

    func testTheReportIsTheCoresForThePickers() async throws {
        let (actor, _, venue, model, clock) = try await session()
        // This year up to today (the core's clock), all venues, in the worker's language.
        XCTAssertEqual(model.query.from, DateComponents(year: 2030, month: 1, day: 1))
        XCTAssertEqual(model.query.to, WallClock.day(of: clock.now(), calendar: calendar))
        XCTAssertNil(model.query.venueId)
        XCTAssertEqual(model.query.language, .da)
        await model.load()
        XCTAssertNil(model.message)
        let all = try await coreReport(actor, model.query)
        XCTAssertEqual(model.report, all)
        XCTAssertEqual(model.venues.map(\.id), [venue.id])

        model.venueId = venue.id
        await model.load()
        let one = try await coreReport(actor, model.query)
        XCTAssertEqual(model.report, one)
        XCTAssertEqual(model.report?.venueId, venue.id)
        XCTAssertNotEqual(one, all)

        model.period = .lastYear
        XCTAssertEqual(model.query.from, DateComponents(year: 2029, month: 1, day: 1))
        XCTAssertEqual(model.query.to, DateComponents(year: 2029, month: 12, day: 31))
    }

    func testRefusalsAreShownInTheCoresWordsAndLeaveNoFigures() async throws {
        let (actor, core, _, model, _) = try await session()
        await model.load()
        XCTAssertNotNil(model.report)

        // Longer than the core allows.
        model.period = .custom
        model.from = try date(2030, 1, 1)
        model.to = try date(2036, 1, 1)
        await model.load()
        var refusal: Error?
        do {
            _ = try await coreReport(actor, model.query)
        } catch {
            refusal = error
        }
        let error = try XCTUnwrap(refusal as? BrobyggerError)
        XCTAssertEqual(model.message, Words(language: .da).error(error))
        XCTAssertNil(model.report, "no figures of another period under these pickers")

        // Locked: the core's words, and the session is told to show the PIN screen.
        var lockedSignals = 0
        let subscription = core.lockedByCore.sink { lockedSignals += 1 }
        defer { subscription.cancel() }
        model.period = .thisYear
        await actor.lock()
        await model.load()
        XCTAssertEqual(model.message, Words(language: .da).error(BrobyggerError.Locked))
        XCTAssertEqual(lockedSignals, 1)
        XCTAssertNil(model.report)
    }

    func testExportsAreTheCoresFilesUnderNamesWithoutPersonalData() async throws {
        let (actor, _, venue, model, _) = try await session()
        model.venueId = venue.id
        let q = model.query

        await model.export(.csv)
        XCTAssertNil(model.message)
        let csv = try XCTUnwrap(model.shared).urls
        let expected = try await actor.run {
            try $0.evaluationCsv(from: q.from, to: q.to, venueId: q.venueId, language: q.language)
        }
        XCTAssertEqual(csv.map(\.lastPathComponent), expected.map(\.name))
        for (url, file) in zip(csv, expected) {
            XCTAssertEqual(try Data(contentsOf: url), Data(file.content.utf8), file.name)
            XCTAssertEqual(url.deletingLastPathComponent().lastPathComponent,
                           ExportNaming.base(from: q.from, to: q.to, danish: true))
            XCTAssertFalse(url.path.contains("Borgercaf"), "no venue name in a path")
        }

        await model.export(.html)
        let html = try XCTUnwrap(model.shared).urls
        XCTAssertEqual(html.map(\.lastPathComponent), [ExportNaming.html(from: q.from, to: q.to, danish: true)])
        let page = try await actor.run {
            try $0.evaluationHtml(from: q.from, to: q.to, venueId: q.venueId, language: q.language)
        }
        XCTAssertEqual(try Data(contentsOf: html[0]), Data(page.utf8))
        XCTAssertTrue(csv.allSatisfy { !FileManager.default.fileExists(atPath: $0.path) }, "one export at a time")

        model.discardExport()
        XCTAssertNil(model.shared)
        XCTAssertFalse(FileManager.default.fileExists(atPath: html[0].path))
    }
}
