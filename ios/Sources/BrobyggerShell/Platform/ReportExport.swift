import BrobyggerPlatformLogic
import Foundation
import SwiftUI
import UIKit

/// The report's exports on their way to the share sheet: written to one folder under the
/// app's temporary directory with complete file protection, and removed when the next export
/// is made, when the figures screen closes and at the next start. What is written is the
/// core's published report only (counts 1–4 suppressed, no names), never the vault.
public enum ExportFolder {
    /// The app's own `tmp/Export`.
    public static var root: URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("Export", isDirectory: true)
    }

    /// Writes `files` as UTF-8 into a fresh `tmp/Export/<folder>` and returns their URLs in
    /// order. Blocks on file I/O: call it off the main actor.
    public static func write(_ files: [ExportFile], folder: String) throws -> [URL] {
        discard()
        let protection: [FileAttributeKey: Any] = [.protectionKey: FileProtectionType.complete]
        let dir = root.appendingPathComponent(ExportNaming.plain(folder), isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: protection)
        return try files.map { file in
            let url = dir.appendingPathComponent(ExportNaming.plain(file.name), isDirectory: false)
            try Data(file.content.utf8).write(to: url, options: [.atomic, .completeFileProtection])
            return url
        }
    }

    /// Removes every earlier export (nothing to do when there is none).
    public static func discard() {
        try? FileManager.default.removeItem(at: root)
    }
}

/// One file of an export: the core's name (or ours, for the HTML page) and its text.
public struct ExportFile: Equatable, Sendable {
    public let name: String
    public let content: String

    public init(name: String, content: String) {
        self.name = name
        self.content = content
    }
}

/// Files ready for the share sheet.
public struct SharedFiles: Identifiable, Equatable, Sendable {
    public let id = UUID()
    public let urls: [URL]
}

/// The system share sheet (AirDrop, Mail, Save to Files, Print) for the exported files.
struct ShareSheet: UIViewControllerRepresentable {
    let urls: [URL]
    let onFinish: () -> Void

    func makeUIViewController(context: Context) -> UIActivityViewController {
        let controller = UIActivityViewController(activityItems: urls, applicationActivities: nil)
        controller.excludedActivityTypes = [.assignToContact, .addToReadingList]
        // UIKit calls it on the main thread when the sheet closes (shared or not).
        controller.completionWithItemsHandler = { _, _, _, _ in
            MainActor.assumeIsolated { onFinish() }
        }
        return controller
    }

    func updateUIViewController(_ controller: UIActivityViewController, context: Context) {}
}
