@testable import BrobyggerPlatformLogic
import XCTest
#if canImport(MessageUI)
import MessageUI
#endif

final class ComposeOutcomeTests: XCTestCase {
    func testSentIsSentAndCancelledOrFailedIsNotSent() {
        XCTAssertEqual(ComposeOutcome.sent.report, .record(sent: true))
        XCTAssertEqual(ComposeOutcome.cancelled.report, .record(sent: false))
        XCTAssertEqual(ComposeOutcome.failed.report, .record(sent: false))
        XCTAssertEqual(ComposeOutcome.unrecognised.report, .leaveUnknown)
    }

    #if canImport(MessageUI)
    func testMessageUIResultsMap() {
        XCTAssertEqual(ComposeOutcome(MessageComposeResult.sent), .sent)
        XCTAssertEqual(ComposeOutcome(MessageComposeResult.cancelled), .cancelled)
        XCTAssertEqual(ComposeOutcome(MessageComposeResult.failed), .failed)
    }
    #endif

    func testAfterAKillNeverShownIsNotSentAndShownIsLeftUnknown() {
        var journal = ComposeJournal()
        for id in ["r1", "r2", "r3", "r4"] { journal.queued(id) }
        journal.presented("r2")
        journal.presented("r3")
        journal.finished("r3")
        let (notSent, unknown) = journal.recovery()
        XCTAssertEqual(notSent, ["r1", "r4"])
        XCTAssertEqual(unknown, ["r2"])
    }

    func testQueuingAgainDoesNotForgetThatASheetWasShown() {
        var journal = ComposeJournal()
        journal.queued("r1")
        journal.presented("r1")
        journal.queued("r1")
        XCTAssertEqual(journal.entries["r1"], .presented)
    }

    func testJournalSurvivesEncoding() throws {
        var journal = ComposeJournal()
        journal.queued("a")
        journal.presented("b")
        let decoded = try JSONDecoder().decode(ComposeJournal.self, from: JSONEncoder().encode(journal))
        XCTAssertEqual(decoded, journal)
    }
}
