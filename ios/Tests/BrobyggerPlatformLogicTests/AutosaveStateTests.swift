@testable import BrobyggerPlatformLogic
import XCTest

final class AutosaveStateTests: XCTestCase {
    func testAnEditDuringASaveIsSavedAfterIt() {
        var s = AutosaveState(content: "")
        s.edit("Mødt")
        let first = s.beginSave()
        XCTAssertEqual(first?.content, "Mødt")
        s.edit("Mødt på caféen")
        XCTAssertNil(s.beginSave(), "one save at a time")
        s.finishSave(revision: first?.revision ?? -1, succeeded: true)
        XCTAssertTrue(s.isDirty)
        let second = s.beginSave()
        XCTAssertEqual(second?.content, "Mødt på caféen")
        s.finishSave(revision: second?.revision ?? -1, succeeded: true)
        XCTAssertFalse(s.isDirty)
        XCTAssertNil(s.beginSave())
    }

    func testAFailedSaveIsTriedAgain() {
        var s = AutosaveState(content: 0)
        s.edit(1)
        let attempt = s.beginSave()
        s.finishSave(revision: attempt?.revision ?? -1, succeeded: false)
        XCTAssertTrue(s.isDirty)
        XCTAssertTrue(s.lastFailed)
        XCTAssertEqual(s.beginSave()?.content, 1)
    }

    func testNoChangeNoSave() {
        var s = AutosaveState(content: "x")
        s.edit("x")
        XCTAssertFalse(s.isDirty)
        XCTAssertNil(s.beginSave())
    }

    func testAStaleFinishIsIgnored() {
        var s = AutosaveState(content: "a")
        s.edit("b")
        let running = s.beginSave()
        s.finishSave(revision: 99, succeeded: true)
        XCTAssertEqual(s.inFlight, running?.revision)
        XCTAssertTrue(s.isDirty)
    }
}
