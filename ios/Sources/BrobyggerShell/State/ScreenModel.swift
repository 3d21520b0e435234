import BrobyggerCore
import Foundation

/// What every screen's state holder shares: the core client, a busy flag and the last
/// message in the worker's words. Subclasses call `perform` around each core call.
@MainActor
open class ScreenModel: ObservableObject {
    public let core: CoreClient
    @Published public var message: String? = nil
    @Published public private(set) var busy = false

    public init(core: CoreClient) {
        self.core = core
    }

    public var words: Words { core.words }

    /// Runs `body`; an error becomes `message`. Returns whether it went through.
    @discardableResult
    public func perform(_ body: () async throws -> Void) async -> Bool {
        busy = true
        defer { busy = false }
        do {
            try await body()
            message = nil
            return true
        } catch {
            message = core.message(error)
            return false
        }
    }
}
