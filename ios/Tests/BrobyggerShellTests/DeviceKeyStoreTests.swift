import BrobyggerCore
import BrobyggerPlatformLogic
@testable import BrobyggerShell
import Security
import XCTest

/// The Keychain fallback of the key store (the simulator has no Secure Enclave). Skipped
/// where the test host has no keychain (errSecMissingEntitlement without a host app).
final class DeviceKeyStoreTests: XCTestCase {
    private var naming: KeyNaming!
    private var store: DeviceKeyStore!
    private let name = "brobygger.vault.0123456789abcdef.outbox"

    override func setUpWithError() throws {
        naming = KeyNaming(service: "dk.brobygger.tests.\(UUID().uuidString)")
        store = DeviceKeyStore(naming: naming, useSecureEnclave: false)
        do {
            _ = try store.wrap(keyName: "probe", purpose: .outbox, secret: Data([1]))
            try store.deleteKey(keyName: "probe")
        } catch KeyStoreError.Unavailable {
            throw XCTSkip("no keychain in this test host")
        }
    }

    override func tearDownWithError() throws {
        try? store.deleteKey(keyName: name)
    }

    func testWrapUnwrapDeleteAndMissing() throws {
        let secret = Data((0..<32).map { UInt8($0) })
        let wrapped = try store.wrap(keyName: name, purpose: .outbox, secret: secret)
        XCTAssertEqual(wrapped.first, WrapFormat.keychainAESGCM.rawValue)
        XCTAssertEqual(try store.unwrap(keyName: name, purpose: .outbox, wrapped: wrapped), secret)
        XCTAssertThrowsError(try store.unwrap(keyName: "brobygger.vault.other", purpose: .outbox, wrapped: wrapped)) {
            XCTAssertEqual($0 as? KeyStoreError, .KeyMissing)
        }
        try store.deleteKey(keyName: name)
        try store.deleteKey(keyName: name) // deleting twice is no error
        XCTAssertThrowsError(try store.unwrap(keyName: name, purpose: .outbox, wrapped: wrapped)) {
            XCTAssertEqual($0 as? KeyStoreError, .KeyMissing)
        }
    }

    func testABlobFromTheEnclaveHasNoKeyHere() {
        XCTAssertThrowsError(try store.unwrap(
            keyName: name, purpose: .vaultState, wrapped: WrapFormat.encode(.enclaveECIES, Data([1, 2, 3])))) {
            XCTAssertEqual($0 as? KeyStoreError, .KeyMissing)
        }
    }

    func testPinFactorIsStablePerKeyAndMissingWithoutCreate() throws {
        let input = Data(repeating: 5, count: 32)
        XCTAssertThrowsError(try store.pinFactor(keyName: name, input: input, create: false)) {
            XCTAssertEqual($0 as? KeyStoreError, .KeyMissing)
        }
        let a = try store.pinFactor(keyName: name, input: input, create: true)
        XCTAssertEqual(try store.pinFactor(keyName: name, input: input, create: false), a)
        XCTAssertNotEqual(try store.pinFactor(keyName: name, input: Data(repeating: 6, count: 32), create: false), a)
        try store.deleteKey(keyName: name)
        XCTAssertThrowsError(try store.pinFactor(keyName: name, input: input, create: false))
    }

    func testInvalidKeyNamesAreRefused() {
        XCTAssertThrowsError(try store.wrap(keyName: "a b", purpose: .outbox, secret: Data([1])))
    }

    func testOutboxAndStateKeysOpenAfterFirstUnlock() {
        XCTAssertEqual(DeviceKeyStore.accessibility(for: .outbox) as String, kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly as String)
        XCTAssertEqual(DeviceKeyStore.accessibility(for: .vaultState) as String, kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly as String)
    }
}
