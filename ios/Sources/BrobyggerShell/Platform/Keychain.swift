import BrobyggerCore
import Foundation
import Security

/// Generic-password items of one service in the data-protection keychain: never synced,
/// never in an access group shared with another app, never in a backup that restores onto
/// another phone (every accessibility used here is a "ThisDeviceOnly" one).
struct Keychain: Sendable {
    let service: String

    private func base(_ account: String) -> [String: Any] {
        [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
            kSecAttrAccount as String: account,
            kSecUseDataProtectionKeychain as String: true,
        ]
    }

    /// The item's data, or nil when there is none.
    func read(_ account: String) throws -> Data? {
        var query = base(account)
        query[kSecReturnData as String] = true
        query[kSecMatchLimit as String] = kSecMatchLimitOne
        var item: CFTypeRef?
        let status = SecItemCopyMatching(query as CFDictionary, &item)
        if status == errSecItemNotFound { return nil }
        guard status == errSecSuccess, let data = item as? Data else { throw KeyStoreFailure.from(status, "keychain read") }
        return data
    }

    func add(_ account: String, _ data: Data, accessible: CFString) throws {
        var attributes = base(account)
        attributes[kSecValueData as String] = data
        attributes[kSecAttrAccessible as String] = accessible
        attributes[kSecAttrSynchronizable as String] = false
        let status = SecItemAdd(attributes as CFDictionary, nil)
        guard status == errSecSuccess else { throw KeyStoreFailure.from(status, "keychain write") }
    }

    /// Deletes the item; one that does not exist is no error.
    func delete(_ account: String) throws {
        let status = SecItemDelete(base(account) as CFDictionary)
        guard status == errSecSuccess || status == errSecItemNotFound else {
            throw KeyStoreFailure.from(status, "keychain delete")
        }
    }
}

/// Keychain and Secure Enclave failures as the core's `KeyStoreError`. Only fixed words and
/// the OSStatus number travel: nothing about the key's contents.
enum KeyStoreFailure {
    static func from(_ status: OSStatus, _ what: String) -> KeyStoreError {
        switch status {
        case errSecItemNotFound:
            return .KeyMissing
        case errSecInteractionNotAllowed:
            // The phone is locked and the item is only readable when it is unlocked.
            return .Unavailable(reason: "\(what): phone locked (\(status))")
        case errSecAuthFailed, errSecUserCanceled:
            return .UserAuthenticationRequired
        case errSecNotAvailable, errSecMissingEntitlement:
            return .Unavailable(reason: "\(what): keychain not available (\(status))")
        default:
            return .Failed(reason: "\(what) failed (\(status))")
        }
    }

    static func from(_ error: Unmanaged<CFError>?, _ what: String) -> KeyStoreError {
        guard let cf = error?.takeRetainedValue() else { return .Failed(reason: "\(what) failed") }
        let code = CFErrorGetCode(cf)
        if CFErrorGetDomain(cf) as String == NSOSStatusErrorDomain {
            return from(OSStatus(truncatingIfNeeded: code), what)
        }
        return .Failed(reason: "\(what) failed (\(code))")
    }
}
