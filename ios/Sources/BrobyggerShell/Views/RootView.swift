import BrobyggerCore
import SwiftUI

/// The app's root: the session's screens, and the compose queue's sheets over all of them
/// (texts can be sent with the vault locked: the outbox needs no PIN).
public struct RootView: View {
    @ObservedObject var app: AppModel

    public init(app: AppModel) {
        self.app = app
    }

    public var body: some View {
        Group {
            switch app.phase {
            case .starting:
                ProgressView().accessibilityLabel(app.words("Starter", "Starting"))
            case .unavailable(let text):
                Banner(text: text, tone: .error).padding()
            case .setUp:
                SetUpView()
            case .recoveryKey(let groups):
                RecoveryKeyView(groups: groups)
            case .unlock:
                UnlockView()
            case .recovery:
                RecoveryView()
            case .main:
                MainView(core: app.core)
            case .survey:
                // Under the survey's cover: nothing of the app, only the worker's way back.
                SurveyUnderlay()
            }
        }
        .modifier(ComposeQueueHost(queue: app.composeQueue, paused: app.phase == .survey))
        // Survey mode: the survey alone, over everything; no swipe or gesture closes it, only
        // the session ending survey mode (the worker's PIN or Face ID, or the core's idle end).
        .fullScreenCover(item: Binding(get: { app.survey }, set: { _ in })) { survey in
            SurveyView(model: survey)
                .interactiveDismissDisabled()
                .environment(\.words, app.words)
        }
        .environmentObject(app)
        .environmentObject(app.composeQueue)
        .environmentObject(app.notifications)
        .environment(\.words, app.words)
        .task { await app.start() }
    }
}

/// The app once unlocked: five tabs, Today first.
struct MainView: View {
    let core: CoreClient
    @Environment(\.words) private var t

    init(core: CoreClient) {
        self.core = core
    }

    var body: some View {
        TabView {
            TodayView(core: core)
                .tabItem { Label(t("I dag", "Today"), systemImage: "calendar") }
            CitizensView(core: core)
                .tabItem { Label(t("Borgere", "Citizens"), systemImage: "person.2") }
            NavigationStack { NoteEditorView(core: core) }
                .tabItem { Label(t("Notat", "Note"), systemImage: "square.and.pencil") }
            RemindersView(core: core)
                .tabItem { Label(t("Påmindelser", "Reminders"), systemImage: "bell") }
            MoreView(core: core)
                .tabItem { Label(t("Mere", "More"), systemImage: "ellipsis.circle") }
        }
    }
}
