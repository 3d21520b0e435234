import BrobyggerShell
import SwiftUI

/// The app target (in the Xcode project) is only this: the shell's root view, locked the
/// moment the app leaves the foreground, and hidden from the app switcher's snapshot.
@main
struct BrobyggerApp: App {
    @StateObject private var model = VaultModel()
    @Environment(\.scenePhase) private var phase

    var body: some Scene {
        WindowGroup {
            RootView(model: model)
                .overlay { if phase != .active { Color(.systemBackground).ignoresSafeArea() } }
        }
        .onChange(of: phase) { newPhase in
            if newPhase == .background { model.lock() }
        }
    }
}
