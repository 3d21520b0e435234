import BrobyggerPlatformLogic
import Foundation
import LocalAuthentication
import Security

/// The biometric unlock secret (32 bytes from the core's `enrollBiometric()`), kept in a
/// Keychain item that only Face ID / Touch ID opens: `.biometryCurrentSet`, so enrolling
/// another face or finger makes it unreadable, and "when passcode set, this device only",
/// so removing the passcode deletes it. The PIN always works instead.
public final class BiometricSlot: @unchecked Sendable {
    public enum Kind: Equatable, Sendable {
        case faceID, touchID, opticID
    }

    /// What the phone offers now.
    public enum Availability: Equatable, Sendable {
        case available(Kind)
        /// No face or finger enrolled in the phone's settings.
        case notEnrolled
        /// Too many failed tries: the phone wants its passcode first.
        case lockedOut
        /// No passcode on the phone (and so no biometrics for apps).
        case passcodeNotSet
        /// No biometric hardware.
        case notAvailable
    }

    /// Why reading the secret did not work; every case has words for the worker.
    public enum Failure: Error, Equatable, Sendable {
        case cancelled
        /// The worker chose "use PIN" in the prompt.
        case fallbackToPin
        /// Faces or fingers changed since Face ID was turned on, or the item is gone.
        case changedOrRemoved
        case notEnrolled
        case lockedOut
        case unavailable(OSStatus)
    }

    private let keychain: Keychain
    private let account: String

    public init(naming: KeyNaming = KeyNaming()) {
        keychain = Keychain(service: naming.service)
        account = naming.biometricAccount
    }

    public func availability() -> Availability {
        let context = LAContext()
        var error: NSError?
        if context.canEvaluatePolicy(.deviceOwnerAuthenticationWithBiometrics, error: &error) {
            switch context.biometryType {
            case .faceID: return .available(.faceID)
            case .touchID: return .available(.touchID)
            case .opticID: return .available(.opticID)
            default: return .notAvailable
            }
        }
        switch (error as? LAError)?.code {
        case .biometryNotEnrolled?: return .notEnrolled
        case .biometryLockout?: return .lockedOut
        case .passcodeNotSet?: return .passcodeNotSet
        default: return .notAvailable
        }
    }

    /// Whether a secret is stored (without prompting).
    public func isStored() -> Bool {
        let context = LAContext()
        context.interactionNotAllowed = true
        let query: [String: Any] = [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: keychain.service,
            kSecAttrAccount as String: account,
            kSecUseDataProtectionKeychain as String: true,
            kSecUseAuthenticationContext as String: context,
        ]
        let status = SecItemCopyMatching(query as CFDictionary, nil)
        return status == errSecSuccess || status == errSecInteractionNotAllowed
    }

    /// Stores the secret behind the current biometric enrolment, replacing any earlier one.
    public func store(_ secret: Data) throws {
        try keychain.delete(account)
        var error: Unmanaged<CFError>?
        guard let access = SecAccessControlCreateWithFlags(
            nil, kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly, .biometryCurrentSet, &error
        ) else {
            throw KeyStoreFailure.from(error, "biometric access control")
        }
        let attributes: [String: Any] = [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: keychain.service,
            kSecAttrAccount as String: account,
            kSecUseDataProtectionKeychain as String: true,
            kSecAttrAccessControl as String: access,
            kSecValueData as String: secret,
        ]
        let status = SecItemAdd(attributes as CFDictionary, nil)
        guard status == errSecSuccess else { throw Failure.unavailable(status) }
    }

    /// Shows the Face ID / Touch ID prompt, then reads the secret with that authenticated
    /// context (one prompt). Blocks while the prompt is up: call it off the main thread.
    public func read(reason: String) async throws -> Data {
        let context = LAContext()
        context.localizedFallbackTitle = ""
        do {
            _ = try await context.evaluatePolicy(.deviceOwnerAuthenticationWithBiometrics, localizedReason: reason)
        } catch let error as LAError {
            switch error.code {
            case .userCancel, .appCancel, .systemCancel: throw Failure.cancelled
            case .userFallback: throw Failure.fallbackToPin
            case .biometryNotEnrolled: throw Failure.notEnrolled
            case .biometryLockout: throw Failure.lockedOut
            default: throw Failure.unavailable(OSStatus(error.errorCode))
            }
        }
        let query: [String: Any] = [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: keychain.service,
            kSecAttrAccount as String: account,
            kSecUseDataProtectionKeychain as String: true,
            kSecUseAuthenticationContext as String: context,
            kSecReturnData as String: true,
        ]
        var item: CFTypeRef?
        let status = SecItemCopyMatching(query as CFDictionary, &item)
        switch status {
        case errSecSuccess:
            guard let data = item as? Data else { throw Failure.changedOrRemoved }
            return data
        case errSecItemNotFound, errSecAuthFailed:
            // `.biometryCurrentSet`: a changed enrolment leaves the item unreadable.
            throw Failure.changedOrRemoved
        case errSecUserCanceled:
            throw Failure.cancelled
        default:
            throw Failure.unavailable(status)
        }
    }

    public func remove() {
        try? keychain.delete(account)
    }
}
