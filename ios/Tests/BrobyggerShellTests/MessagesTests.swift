import BrobyggerCore
@testable import BrobyggerShell
import XCTest

final class MessagesTests: XCTestCase {
    func testWrongPinCountsDown() {
        XCTAssertEqual(Messages.danish(.WrongPin(attemptsLeft: 3)), "Forkert PIN-kode. Du har 3 forsøg tilbage.")
        XCTAssertEqual(Messages.danish(.WrongPin(attemptsLeft: 1)), "Forkert PIN-kode. Du har ét forsøg tilbage.")
    }

    func testInvalidInputNamesTheFieldNotTheValue() {
        XCTAssertEqual(Messages.danish(.InvalidInput(field: "phone", reason: "not a phone number")), "Telefonnummer: ugyldig værdi.")
    }

    func testKeychainKeyStoreRoundTrip() throws {
        let ks = KeychainKeyStore(service: "dk.brobygger.tests.\(UUID().uuidString)")
        let secret = Data((0..<32).map { UInt8($0) })
        let wrapped = try ks.wrap(keyName: "a", secret: secret)
        XCTAssertEqual(try ks.unwrap(keyName: "a", wrapped: wrapped), secret)
        XCTAssertThrowsError(try ks.unwrap(keyName: "b", wrapped: wrapped))
        try ks.deleteKey(keyName: "a")
        XCTAssertThrowsError(try ks.unwrap(keyName: "a", wrapped: wrapped))
    }
}
