import UIKit

/// Pinning the phone to the app while a citizen holds it. iOS lets an app pin itself only on
/// a supervised phone whose MDM allows it (Autonomous Single App Mode: the app's bundle id in
/// the restrictions payload's `autonomousSingleAppModePermittedAppIDs`); anywhere else the
/// request fails and the worker uses Guided Access (triple-click) instead. Survey mode does
/// not depend on either: the vault is locked and nothing else is on screen; pinning only keeps
/// the citizen from leaving the app.
@MainActor
enum SingleAppMode {
    /// Asks to enter (`true`) or leave (`false`) Single App mode; whether iOS did.
    static func request(_ enabled: Bool) async -> Bool {
        await withCheckedContinuation { continuation in
            UIAccessibility.requestGuidedAccessSession(enabled: enabled) { didSucceed in
                continuation.resume(returning: didSucceed)
            }
        }
    }
}
