import SwiftUI
import UIKit

/// Covers the whole scene, compose sheets included, while the app is not active, so the
/// app switcher's snapshot shows no name, note or text. A window above every other (a
/// SwiftUI overlay would sit under presented sheets).
@MainActor
public final class PrivacyCover {
    private var window: UIWindow?

    public init() {}

    public func show() {
        guard window == nil,
              let scene = UIApplication.shared.connectedScenes.compactMap({ $0 as? UIWindowScene }).first
        else { return }
        let cover = UIWindow(windowScene: scene)
        cover.windowLevel = .alert + 1
        let host = UIHostingController(rootView: CoverView())
        cover.rootViewController = host
        cover.isHidden = false
        window = cover
    }

    public func hide() {
        window?.isHidden = true
        window = nil
    }
}

private struct CoverView: View {
    var body: some View {
        ZStack {
            Color(.systemBackground).ignoresSafeArea()
            Image(systemName: "lock.fill")
                .font(.largeTitle)
                .foregroundStyle(.secondary)
                .accessibilityHidden(true)
        }
    }
}
