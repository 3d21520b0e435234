import BackgroundTasks
import Foundation

/// The background refresh that lets the core's wipe after days without an unlock happen on
/// a phone where the app is never opened again (a lost phone). iOS decides when it runs (at
/// the earliest 12 hours after it was asked), and the vault's files are readable only while
/// the phone is unlocked (complete file protection): a phone that stays locked is wiped at
/// the first start after the days have run out, before anything is shown.
public enum InactivityWipeTask {
    /// Listed under `BGTaskSchedulerPermittedIdentifiers` in the app's Info.plist.
    public static let identifier = "dk.brobygger.app.inactivity-wipe"

    /// Registers the handler; call before the app finishes launching.
    @MainActor
    public static func register(_ model: AppModel) {
        _ = BGTaskScheduler.shared.register(forTaskWithIdentifier: identifier, using: .main) { task in
            MainActor.assumeIsolated {
                schedule()
                let work = Task { @MainActor in
                    await model.enforceInactivityWipe()
                    task.setTaskCompleted(success: true)
                }
                task.expirationHandler = { work.cancel() }
            }
        }
    }

    /// Asks for the next run; a new request replaces an earlier one.
    public static func schedule() {
        let request = BGAppRefreshTaskRequest(identifier: identifier)
        request.earliestBeginDate = Date(timeIntervalSinceNow: 12 * 3600)
        try? BGTaskScheduler.shared.submit(request)
    }
}
