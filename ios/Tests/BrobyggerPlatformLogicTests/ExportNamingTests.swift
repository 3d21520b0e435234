@testable import BrobyggerPlatformLogic
import XCTest

final class ExportNamingTests: XCTestCase {
    private let from = DateComponents(year: 2026, month: 1, day: 1)
    private let to = DateComponents(year: 2026, month: 12, day: 31)

    func testNamesSayWhatAndWhenOnly() {
        XCTAssertEqual(ExportNaming.base(from: from, to: to, danish: true), "brobygger-evaluering_2026-01-01_2026-12-31")
        XCTAssertEqual(ExportNaming.html(from: from, to: to, danish: false), "brobygger-evaluation_2026-01-01_2026-12-31.html")
    }

    func testLifecycleFilesAreNamedByTheirDayOnly() {
        let day = DateComponents(year: 2026, month: 3, day: 31)
        XCTAssertEqual(ExportNaming.backup(on: day, danish: true), "brobygger-sikkerhedskopi-2026-03-31.bbk")
        XCTAssertEqual(ExportNaming.backup(on: day, danish: false), "brobygger-backup-2026-03-31.bbk")
        XCTAssertEqual(ExportNaming.accessRequest(on: day, danish: true), "indsigt-2026-03-31.html")
        XCTAssertEqual(ExportNaming.accessRequest(on: day, danish: false), "access-request-2026-03-31.html")
        for name in [ExportNaming.backup(on: day, danish: true), ExportNaming.accessRequest(on: day, danish: false)] {
            XCTAssertEqual(ExportNaming.plain(name), name, "already a plain file name")
        }
    }

    func testTheCoreNamesStayPlainFileNames() {
        XCTAssertEqual(ExportNaming.plain("03-topics.csv"), "03-topics.csv")
        XCTAssertEqual(ExportNaming.plain("../../Vault/vault.db"), "-..-Vault-vault.db")
        XCTAssertEqual(ExportNaming.plain(".hidden"), "hidden")
        XCTAssertEqual(ExportNaming.plain("Borgercaféen Nord.csv"), "Borgercaf-en-Nord.csv")
        XCTAssertEqual(ExportNaming.plain(""), "file")
        XCTAssertEqual(ExportNaming.plain("..."), "file")
        for name in ["a/b", "a b", "æøå", "x\u{0}y"] {
            XCTAssertFalse(ExportNaming.plain(name).contains { !$0.isASCII || $0 == "/" || $0 == " " }, name)
        }
    }

    func testAMissingDatePartIsVisibleNotDropped() {
        XCTAssertEqual(ExportNaming.isoDay(DateComponents(year: 2026)), "2026-00-00")
    }
}
