import BrobyggerCore
import CryptoKit
import Foundation
import Security

/// The core's `KeyStore` on iOS: a random AES-256 key per name, kept in the Keychain as
/// "this device only, when unlocked" (never synced, never in backups), used with CryptoKit's
/// AES-GCM. The key name is the authenticated data, so a blob only opens under its own name.
public final class KeychainKeyStore: KeyStore, @unchecked Sendable {
    private let service: String

    public init(service: String = "dk.brobygger.vault") {
        self.service = service
    }

    public func wrap(keyName: String, secret: Data) throws -> Data {
        let key = try loadKey(keyName, create: true)
        do {
            let box = try AES.GCM.seal(secret, using: key, authenticating: Data(keyName.utf8))
            guard let combined = box.combined else { throw KeyStoreError.Failed(reason: "seal produced no output") }
            return combined
        } catch let e as KeyStoreError {
            throw e
        } catch {
            throw KeyStoreError.Failed(reason: "seal failed")
        }
    }

    public func unwrap(keyName: String, wrapped: Data) throws -> Data {
        let key = try loadKey(keyName, create: false)
        do {
            let box = try AES.GCM.SealedBox(combined: wrapped)
            return try AES.GCM.open(box, using: key, authenticating: Data(keyName.utf8))
        } catch {
            throw KeyStoreError.Failed(reason: "unwrap failed: wrong key or damaged blob")
        }
    }

    public func deleteKey(keyName: String) throws {
        let status = SecItemDelete(query(keyName) as CFDictionary)
        guard status == errSecSuccess || status == errSecItemNotFound else {
            throw KeyStoreError.Unavailable(reason: "keychain delete failed (\(status))")
        }
    }

    private func query(_ name: String) -> [String: Any] {
        [kSecClass as String: kSecClassGenericPassword,
         kSecAttrService as String: service,
         kSecAttrAccount as String: name]
    }

    private func loadKey(_ name: String, create: Bool) throws -> SymmetricKey {
        var q = query(name)
        q[kSecReturnData as String] = true
        var item: CFTypeRef?
        let status = SecItemCopyMatching(q as CFDictionary, &item)
        if status == errSecSuccess, let data = item as? Data {
            return SymmetricKey(data: data)
        }
        guard status == errSecItemNotFound else {
            throw KeyStoreError.Unavailable(reason: "keychain read failed (\(status))")
        }
        guard create else { throw KeyStoreError.KeyMissing }
        let key = SymmetricKey(size: .bits256)
        var add = query(name)
        add[kSecValueData as String] = key.withUnsafeBytes { Data($0) }
        add[kSecAttrAccessible as String] = kSecAttrAccessibleWhenUnlockedThisDeviceOnly
        add[kSecAttrSynchronizable as String] = false
        let added = SecItemAdd(add as CFDictionary, nil)
        guard added == errSecSuccess else {
            throw KeyStoreError.Unavailable(reason: "keychain write failed (\(added))")
        }
        return key
    }
}

/// The device clock, handed to the core (which never reads a clock itself).
public final class SystemClock: Clock, @unchecked Sendable {
    public init() {}
    public func now() -> Date { Date() }
}
