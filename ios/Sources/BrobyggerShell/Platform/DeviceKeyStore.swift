import BrobyggerCore
import BrobyggerPlatformLogic
import CryptoKit
import Foundation
import Security

/// The core's `KeyStore` on iOS.
///
/// - `pinFactor`: SHA-256 of the ECDH shared secret between a Secure Enclave P-256 key
///   (non-exportable, `.privateKeyUsage`, when-unlocked-this-device-only, no biometry) and a
///   point hashed from the core's input (`HashToCurve`). The enclave computes one agreement
///   per PIN guess, so a copied vault cannot be attacked off the phone.
/// - `wrap`/`unwrap`: ECIES to a Secure Enclave P-256 key (`SecKeyCreateEncryptedData`,
///   cofactor X9.63 SHA-256 AES-GCM), usable after the first unlock since boot and never
///   bound to user presence: reminders go out with the phone locked in a pocket.
/// - Without a Secure Enclave (the simulator, or hardware without one) the same operations
///   run on CryptoKit keys kept in the Keychain, with the same accessibility; `backing`
///   says which, and Settings shows it. A phone with an enclave never falls back.
///
/// Every method blocks (the enclave takes milliseconds): the core calls them on the
/// `VaultActor`'s queue, never the main thread.
public final class DeviceKeyStore: KeyStore, @unchecked Sendable {
    public enum Backing: Equatable, Sendable {
        case secureEnclave
        case keychain
    }

    public let backing: Backing
    private let naming: KeyNaming
    private let keychain: Keychain
    private static let ecies = SecKeyAlgorithm.eciesEncryptionCofactorVariableIVX963SHA256AESGCM

    public init(naming: KeyNaming = KeyNaming(), useSecureEnclave: Bool = SecureEnclave.isAvailable) {
        self.naming = naming
        keychain = Keychain(service: naming.service)
        backing = useSecureEnclave ? .secureEnclave : .keychain
    }

    // MARK: KeyStore

    public func pinFactor(keyName: String, input: Data, create: Bool) throws -> Data {
        try check(keyName)
        let account = naming.pinFactorAccount(keyName)
        do {
            switch backing {
            case .secureEnclave:
                let key = try enclaveAgreementKey(account, create: create)
                return try HashToCurve.pinFactor(input: input) { try key.sharedSecretFromKeyAgreement(with: $0) }
            case .keychain:
                let key = try softwareAgreementKey(account, create: create)
                return try HashToCurve.pinFactor(input: input) { try key.sharedSecretFromKeyAgreement(with: $0) }
            }
        } catch let e as KeyStoreError {
            throw e
        } catch is HashToCurve.Exhausted {
            throw KeyStoreError.Failed(reason: "no curve point for the input")
        } catch {
            throw KeyStoreError.Failed(reason: "key agreement failed")
        }
    }

    public func wrap(keyName: String, purpose: KeyPurpose, secret: Data) throws -> Data {
        try check(keyName)
        switch backing {
        case .secureEnclave:
            let privateKey = try enclaveWrapKey(keyName, purpose: purpose, create: true)
            guard let publicKey = SecKeyCopyPublicKey(privateKey) else {
                throw KeyStoreError.Failed(reason: "enclave key has no public key")
            }
            var error: Unmanaged<CFError>?
            guard let body = SecKeyCreateEncryptedData(publicKey, Self.ecies, secret as CFData, &error) as Data? else {
                throw KeyStoreFailure.from(error, "enclave encrypt")
            }
            return WrapFormat.encode(.enclaveECIES, body)
        case .keychain:
            let key = try aesKey(keyName, purpose: purpose, create: true)
            do {
                let box = try AES.GCM.seal(secret, using: key, authenticating: Data(keyName.utf8))
                guard let combined = box.combined else { throw KeyStoreError.Failed(reason: "seal produced no output") }
                return WrapFormat.encode(.keychainAESGCM, combined)
            } catch let e as KeyStoreError {
                throw e
            } catch {
                throw KeyStoreError.Failed(reason: "seal failed")
            }
        }
    }

    public func unwrap(keyName: String, purpose: KeyPurpose, wrapped: Data) throws -> Data {
        try check(keyName)
        // A blob from the other backing (a restore onto other hardware) has no key here.
        guard let decoded = WrapFormat.decode(wrapped) else {
            throw KeyStoreError.Failed(reason: "unknown wrapped format")
        }
        let (format, body) = decoded
        switch (format, backing) {
        case (.enclaveECIES, .secureEnclave):
            let privateKey = try enclaveWrapKey(keyName, purpose: purpose, create: false)
            var error: Unmanaged<CFError>?
            guard let secret = SecKeyCreateDecryptedData(privateKey, Self.ecies, body as CFData, &error) as Data? else {
                throw KeyStoreFailure.from(error, "enclave decrypt")
            }
            return secret
        case (.keychainAESGCM, .keychain):
            let key = try aesKey(keyName, purpose: purpose, create: false)
            do {
                return try AES.GCM.open(AES.GCM.SealedBox(combined: body), using: key, authenticating: Data(keyName.utf8))
            } catch {
                throw KeyStoreError.Failed(reason: "unwrap failed: wrong key or damaged blob")
            }
        default:
            throw KeyStoreError.KeyMissing
        }
    }

    public func deleteKey(keyName: String) throws {
        try check(keyName)
        for account in naming.accounts(for: keyName) {
            try keychain.delete(account)
        }
        let status = SecItemDelete(enclaveQuery(keyName) as CFDictionary)
        guard status == errSecSuccess || status == errSecItemNotFound else {
            throw KeyStoreFailure.from(status, "enclave key delete")
        }
    }

    // MARK: Keys

    private func check(_ keyName: String) throws {
        do {
            try KeyNaming.validate(keyName)
        } catch {
            throw KeyStoreError.Failed(reason: "invalid key name")
        }
    }

    /// Reminders and the vault state must open with the phone locked in a pocket (after the
    /// first unlock since boot); neither is bound to Face ID or the passcode prompt.
    static func accessibility(for purpose: KeyPurpose) -> CFString {
        switch purpose {
        case .vaultState, .outbox:
            return kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly
        }
    }

    private func accessControl(_ accessible: CFString) throws -> SecAccessControl {
        var error: Unmanaged<CFError>?
        guard let access = SecAccessControlCreateWithFlags(nil, accessible, .privateKeyUsage, &error) else {
            throw KeyStoreFailure.from(error, "access control")
        }
        return access
    }

    /// The PIN-factor key: its opaque enclave blob is kept in the Keychain (CryptoKit's way);
    /// the private key itself never leaves the enclave.
    private func enclaveAgreementKey(_ account: String, create: Bool) throws -> SecureEnclave.P256.KeyAgreement.PrivateKey {
        let accessible = kSecAttrAccessibleWhenUnlockedThisDeviceOnly
        if let blob = try keychain.read(account) {
            do {
                return try SecureEnclave.P256.KeyAgreement.PrivateKey(dataRepresentation: blob)
            } catch {
                // The blob belongs to another enclave (a restored backup): the key is gone.
                throw KeyStoreError.KeyMissing
            }
        }
        guard create else { throw KeyStoreError.KeyMissing }
        let access = try accessControl(accessible)
        let key = try SecureEnclave.P256.KeyAgreement.PrivateKey(accessControl: access)
        try keychain.add(account, key.dataRepresentation, accessible: accessible)
        return key
    }

    private func softwareAgreementKey(_ account: String, create: Bool) throws -> P256.KeyAgreement.PrivateKey {
        if let raw = try keychain.read(account) {
            do {
                return try P256.KeyAgreement.PrivateKey(rawRepresentation: raw)
            } catch {
                throw KeyStoreError.Failed(reason: "stored key damaged")
            }
        }
        guard create else { throw KeyStoreError.KeyMissing }
        let key = P256.KeyAgreement.PrivateKey()
        try keychain.add(account, key.rawRepresentation, accessible: kSecAttrAccessibleWhenUnlockedThisDeviceOnly)
        return key
    }

    private func enclaveQuery(_ keyName: String) -> [String: Any] {
        [
            kSecClass as String: kSecClassKey,
            kSecAttrApplicationTag as String: naming.enclaveTag(keyName),
            kSecAttrKeyType as String: kSecAttrKeyTypeECSECPrimeRandom,
            kSecAttrKeyClass as String: kSecAttrKeyClassPrivate,
        ]
    }

    private func enclaveWrapKey(_ keyName: String, purpose: KeyPurpose, create: Bool) throws -> SecKey {
        var query = enclaveQuery(keyName)
        query[kSecReturnRef as String] = true
        var item: CFTypeRef?
        let status = SecItemCopyMatching(query as CFDictionary, &item)
        if status == errSecSuccess, let item, CFGetTypeID(item) == SecKeyGetTypeID() {
            return item as! SecKey // swiftlint:disable:this force_cast (checked by type id above)
        }
        guard status == errSecItemNotFound else { throw KeyStoreFailure.from(status, "enclave key read") }
        guard create else { throw KeyStoreError.KeyMissing }
        let access = try accessControl(Self.accessibility(for: purpose))
        let attributes: [String: Any] = [
            kSecAttrKeyType as String: kSecAttrKeyTypeECSECPrimeRandom,
            kSecAttrKeySizeInBits as String: 256,
            kSecAttrTokenID as String: kSecAttrTokenIDSecureEnclave,
            kSecPrivateKeyAttrs as String: [
                kSecAttrIsPermanent as String: true,
                kSecAttrApplicationTag as String: naming.enclaveTag(keyName),
                kSecAttrAccessControl as String: access,
            ] as [String: Any],
        ]
        var error: Unmanaged<CFError>?
        guard let key = SecKeyCreateRandomKey(attributes as CFDictionary, &error) else {
            throw KeyStoreFailure.from(error, "enclave key create")
        }
        return key
    }

    /// The fallback wrapping key: AES-256 in the Keychain, this device only.
    private func aesKey(_ keyName: String, purpose: KeyPurpose, create: Bool) throws -> SymmetricKey {
        let account = naming.wrapAccount(keyName)
        if let data = try keychain.read(account) { return SymmetricKey(data: data) }
        guard create else { throw KeyStoreError.KeyMissing }
        let key = SymmetricKey(size: .bits256)
        try keychain.add(account, key.withUnsafeBytes { Data($0) }, accessible: Self.accessibility(for: purpose))
        return key
    }
}
