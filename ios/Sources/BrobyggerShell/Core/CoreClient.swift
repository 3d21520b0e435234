import BrobyggerCore
import Combine
import Foundation

/// What the screens' state holders call: the `VaultActor`, with the shell's rules around
/// it. Reads and writes run on the actor; a write is finished inside a background task
/// (it survives the app leaving the foreground) and tells the notification planner that
/// the send times may have moved. A `Locked` answer sends the worker to the PIN screen.
@MainActor
public final class CoreClient: ObservableObject {
    public let vault: VaultActor
    public let words: Words
    /// Fires after every write: the reminder plan may have changed.
    public let planChanged = PassthroughSubject<Void, Never>()
    /// Fires when the core answers `Locked` (auto-lock by idle time, judged by the core).
    public let lockedByCore = PassthroughSubject<Void, Never>()
    /// Fires after every call: the worker is active (the shell's auto-lock timer restarts).
    public let activity = PassthroughSubject<Void, Never>()

    /// Whether writes ask iOS for background time (tests run without a UIApplication).
    private let backgroundTasks: Bool

    public init(vault: VaultActor, words: Words, backgroundTasks: Bool = true) {
        self.vault = vault
        self.words = words
        self.backgroundTasks = backgroundTasks
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (Vault) throws -> T) async throws -> T {
        do {
            let value = try await vault.run(body)
            activity.send()
            return value
        } catch BrobyggerError.Locked {
            lockedByCore.send()
            throw BrobyggerError.Locked
        }
    }

    public func write<T: Sendable>(_ name: String, _ body: @escaping @Sendable (Vault) throws -> T) async throws -> T {
        let task = backgroundTasks ? BackgroundTask(name: name) : nil
        defer { task?.end() }
        defer { planChanged.send() }
        return try await read(body)
    }

    /// A core call's error as the worker should read it.
    public func message(_ error: Error) -> String {
        words.error(error)
    }
}
