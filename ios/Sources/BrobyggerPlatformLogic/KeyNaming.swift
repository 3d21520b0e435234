import Foundation

/// Where each of the core's platform keys lives. The core names its keys
/// (`brobygger.vault.<vault id>.<purpose>[.<suffix>]`); the key store keeps each kind of
/// key under its own prefix, so a PIN-factor key, a wrapping key and the biometric slot can
/// never be taken for one another, and one `deleteKey` finds every form a name can have.
public struct KeyNaming: Equatable, Sendable {
    /// The Keychain service of every item; never shared through an access group.
    public let service: String

    public init(service: String = "dk.brobygger.vault") {
        self.service = service
    }

    public enum Invalid: Error, Equatable {
        case empty, tooLong, character
    }

    /// Longest accepted key name (the core's are under 80 characters).
    public static let maxLength = 128

    /// Key names as the core makes them: letters, digits and `.-_:`, nothing that could
    /// change the meaning of a Keychain attribute or an application tag.
    public static func validate(_ keyName: String) throws {
        guard !keyName.isEmpty else { throw Invalid.empty }
        guard keyName.utf8.count <= maxLength else { throw Invalid.tooLong }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_:")
        guard keyName.allSatisfy(allowed.contains) else { throw Invalid.character }
    }

    /// Keychain account of the key-agreement key behind `pinFactor` (a Secure Enclave
    /// key's opaque blob, or a software key on a device without an enclave).
    public func pinFactorAccount(_ keyName: String) -> String { "pin-factor:" + keyName }

    /// Keychain account of a software AES-256 wrapping key (the fallback without an enclave).
    public func wrapAccount(_ keyName: String) -> String { "wrap-aes:" + keyName }

    /// Application tag of a Secure Enclave P-256 wrapping key (ECIES).
    public func enclaveTag(_ keyName: String) -> Data { Data((service + ".wrap-se:" + keyName).utf8) }

    /// Keychain account of the biometric unlock secret (one vault per app).
    public var biometricAccount: String { "biometric-unlock" }

    /// Every account a `deleteKey(keyName)` removes.
    public func accounts(for keyName: String) -> [String] {
        [pinFactorAccount(keyName), wrapAccount(keyName)]
    }
}

/// The first byte of a wrapped secret says which key wrapped it, so a phone that gained or
/// lost its enclave (a restore onto other hardware) answers "key missing", not garbage.
public enum WrapFormat: UInt8, Equatable, Sendable {
    /// ECIES (cofactor, variable IV, X9.63 SHA-256, AES-GCM) to a Secure Enclave P-256 key.
    case enclaveECIES = 0x01
    /// AES-256-GCM under a Keychain-stored key, the key name as associated data.
    case keychainAESGCM = 0x02

    public static func encode(_ format: WrapFormat, _ body: Data) -> Data {
        Data([format.rawValue]) + body
    }

    /// The format and the body, or nil for an empty or unknown blob.
    public static func decode(_ wrapped: Data) -> (WrapFormat, Data)? {
        guard let first = wrapped.first, let format = WrapFormat(rawValue: first) else { return nil }
        return (format, Data(wrapped.dropFirst()))
    }
}
