@testable import BrobyggerPlatformLogic
import XCTest

final class KeyNamingTests: XCTestCase {
    private let naming = KeyNaming(service: "dk.brobygger.tests")
    private let coreName = "brobygger.vault.0123456789abcdef0123456789abcdef.pin.0123456789abcdef"

    func testCoreKeyNamesAreAccepted() {
        XCTAssertNoThrow(try KeyNaming.validate(coreName))
        XCTAssertNoThrow(try KeyNaming.validate("brobygger.vault.0123456789abcdef.outbox"))
    }

    func testOddNamesAreRefused() {
        XCTAssertThrowsError(try KeyNaming.validate("")) { XCTAssertEqual($0 as? KeyNaming.Invalid, .empty) }
        XCTAssertThrowsError(try KeyNaming.validate(String(repeating: "a", count: KeyNaming.maxLength + 1))) {
            XCTAssertEqual($0 as? KeyNaming.Invalid, .tooLong)
        }
        for bad in ["a b", "a/b", "a\nb", "nøgle", "a*"] {
            XCTAssertThrowsError(try KeyNaming.validate(bad), bad) { XCTAssertEqual($0 as? KeyNaming.Invalid, .character) }
        }
    }

    func testEachKindOfKeyHasItsOwnPlace() {
        let places = [naming.pinFactorAccount(coreName), naming.wrapAccount(coreName), naming.biometricAccount]
        XCTAssertEqual(Set(places).count, places.count)
        XCTAssertNotEqual(naming.pinFactorAccount("a"), naming.pinFactorAccount("b"))
        XCTAssertNotEqual(naming.enclaveTag("a"), naming.enclaveTag("b"))
        XCTAssertNotEqual(naming.enclaveTag("a"), KeyNaming(service: "other").enclaveTag("a"))
        XCTAssertEqual(naming.accounts(for: coreName), [naming.pinFactorAccount(coreName), naming.wrapAccount(coreName)])
    }

    func testWrapFormatRoundTripAndUnknownBlobs() {
        let body = Data([9, 8, 7])
        for format in [WrapFormat.enclaveECIES, .keychainAESGCM] {
            let blob = WrapFormat.encode(format, body)
            XCTAssertEqual(blob.count, body.count + 1)
            let decoded = WrapFormat.decode(blob)
            XCTAssertEqual(decoded?.0, format)
            XCTAssertEqual(decoded?.1, body)
        }
        XCTAssertNil(WrapFormat.decode(Data()))
        XCTAssertNil(WrapFormat.decode(Data([0x7F, 1, 2])))
    }
}
