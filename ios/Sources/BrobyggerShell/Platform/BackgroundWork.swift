import UIKit

/// A write that must finish even if the app leaves the foreground meanwhile (a note being
/// saved, the lock's re-wrap of the vault state): iOS gives it extra time until `end()`.
/// If that time runs out the task ends; SQLite's transaction then either committed or not,
/// never half.
@MainActor
public final class BackgroundTask {
    private var id: UIBackgroundTaskIdentifier = .invalid

    public init(name: String) {
        id = UIApplication.shared.beginBackgroundTask(withName: name) { [weak self] in
            MainActor.assumeIsolated { self?.end() }
        }
    }

    public func end() {
        guard id != .invalid else { return }
        UIApplication.shared.endBackgroundTask(id)
        id = .invalid
    }
}
