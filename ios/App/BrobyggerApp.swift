import BrobyggerShell
import SwiftUI
import UIKit

/// Made at launch, so the notification delegate is in place before a tap on "Send nu"
/// that launched the app is delivered, and the inactivity wipe's background refresh is
/// registered in time.
@MainActor
final class AppDelegate: NSObject, UIApplicationDelegate {
    let model = AppModel()

    func application(
        _ application: UIApplication, didFinishLaunchingWithOptions launchOptions: [UIApplication.LaunchOptionsKey: Any]? = nil
    ) -> Bool {
        // Before launching ends, as iOS requires of a background task's handler.
        InactivityWipeTask.register(model)
        return true
    }
}

/// The app target is only this: the shell's root view, and the scene's phases handed to
/// the session (cover the snapshot when inactive; save, lock when in the background;
/// re-plan the send notifications when back).
@main
struct BrobyggerApp: App {
    @UIApplicationDelegateAdaptor(AppDelegate.self) private var delegate
    @Environment(\.scenePhase) private var phase

    var body: some Scene {
        WindowGroup {
            RootView(app: delegate.model)
        }
        .onChange(of: phase) { newPhase in
            let model = delegate.model
            switch newPhase {
            case .active: Task { await model.didBecomeActive() }
            case .inactive: model.willResignActive()
            case .background: model.didEnterBackground()
            @unknown default: break
            }
        }
    }
}
