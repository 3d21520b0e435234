import BrobyggerCore
import BrobyggerPlatformLogic
import CryptoKit
import Foundation

/// A key store in memory (the same constructions as `DeviceKeyStore`'s fallback, without the
/// Keychain), so the core's flows run in any test host.
final class MemoryKeyStore: KeyStore, @unchecked Sendable {
    private let lock = NSLock()
    private var agreement: [String: P256.KeyAgreement.PrivateKey] = [:]
    private var wrapping: [String: SymmetricKey] = [:]

    func pinFactor(keyName: String, input: Data, create: Bool) throws -> Data {
        lock.lock()
        defer { lock.unlock() }
        if agreement[keyName] == nil {
            guard create else { throw KeyStoreError.KeyMissing }
            agreement[keyName] = P256.KeyAgreement.PrivateKey()
        }
        guard let key = agreement[keyName] else { throw KeyStoreError.KeyMissing }
        return try HashToCurve.pinFactor(input: input) { try key.sharedSecretFromKeyAgreement(with: $0) }
    }

    func wrap(keyName: String, purpose: KeyPurpose, secret: Data) throws -> Data {
        lock.lock()
        defer { lock.unlock() }
        let key = wrapping[keyName] ?? SymmetricKey(size: .bits256)
        wrapping[keyName] = key
        guard let combined = try AES.GCM.seal(secret, using: key, authenticating: Data(keyName.utf8)).combined else {
            throw KeyStoreError.Failed(reason: "seal")
        }
        return combined
    }

    func unwrap(keyName: String, purpose: KeyPurpose, wrapped: Data) throws -> Data {
        lock.lock()
        defer { lock.unlock() }
        guard let key = wrapping[keyName] else { throw KeyStoreError.KeyMissing }
        return try AES.GCM.open(AES.GCM.SealedBox(combined: wrapped), using: key, authenticating: Data(keyName.utf8))
    }

    func deleteKey(keyName: String) throws {
        lock.lock()
        defer { lock.unlock() }
        agreement[keyName] = nil
        wrapping[keyName] = nil
    }
}

/// A clock the test moves.
final class MovingClock: Clock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date) {
        current = start
    }

    func now() -> Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    func set(_ date: Date) {
        lock.lock()
        current = date
        lock.unlock()
    }
}

enum Fixture {
    static let pin = "kaffe-paa-cafeen-42"
    /// 2030-03-04 08:00 UTC.
    static let start = Date(timeIntervalSince1970: 1_898_841_600)

    /// A worker profile, one consenting citizen and an appointment three days ahead; the
    /// clock is moved to just after the last of its reminders' send times, so both are due.
    /// Returns the reminder ids, earliest first.
    static func dueReminders(_ vault: Vault, _ clock: MovingClock) throws -> [String] {
        _ = try vault.setWorkerProfile(name: "Sagsbehandler", phone: "+45 33 12 34 56", role: .caseworker)
        let citizen = try vault.addCitizen(citizen: NewCitizen(
            nickname: "Bo", phone: "+45 20 30 40 50", smsConsent: .verbal, language: .da))
        let booking = try vault.bookAppointment(appointment: NewAppointment(
            citizenId: citizen.id,
            localStart: DateComponents(year: 2030, month: 3, day: 7, hour: 10, minute: 0),
            kind: .conversation,
            outsidePlace: "Borgercaféen"))
        let reminders = booking.reminders.map(\.reminder).sorted { $0.sendAt < $1.sendAt }
        if let last = reminders.last { clock.set(last.sendAt.addingTimeInterval(60)) }
        // Three days on, the core's idle auto-lock has locked it: unlock as the worker would.
        try vault.unlock(pin: pin)
        return reminders.map(\.id)
    }
}
