import BrobyggerPlatformLogic
import Foundation
import SwiftUI
import UIKit

/// The temporary copies of the data's lifecycle: a backup on its way to the document picker,
/// a backup picked for a restore, an access-request export. They live in one folder under
/// the app's own `tmp` with complete file protection, like the vault (unreadable while the
/// phone is locked), excluded from iCloud and computer backups, and each is deleted as soon
/// as the picker has closed; the folder itself goes at every start. A backup is encrypted
/// whole under the recovery key; the access-request page is in clear, so it stays here no
/// longer than the picker shows.
///
/// Every function does file I/O: call them off the main actor.
public enum LifecycleFiles {
    /// The app's own `tmp/Lifecycle`.
    public static var root: URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("Lifecycle", isDirectory: true)
    }

    private static let protection: [FileAttributeKey: Any] = [.protectionKey: FileProtectionType.complete]

    /// A path for a new file called `name` (made plain): the folder made and protected, an
    /// older file of that name removed (the core writes a backup only as a new file).
    public static func fresh(_ name: String) throws -> URL {
        let fm = FileManager.default
        var dir = root
        try fm.createDirectory(at: dir, withIntermediateDirectories: true, attributes: protection)
        try fm.setAttributes(protection, ofItemAtPath: dir.path)
        var values = URLResourceValues()
        values.isExcludedFromBackup = true
        try dir.setResourceValues(values)
        let url = dir.appendingPathComponent(ExportNaming.plain(name), isDirectory: false)
        try? fm.removeItem(at: url)
        return url
    }

    /// Gives a file the core wrote the folder's protection and keeps it out of backups
    /// (a file inherits the folder's class, but is set again as the vault's files are).
    public static func protect(_ url: URL) throws {
        try FileManager.default.setAttributes(protection, ofItemAtPath: url.path)
        var u = url
        var values = URLResourceValues()
        values.isExcludedFromBackup = true
        try u.setResourceValues(values)
    }

    /// Writes `text` as UTF-8 to a new file called `name`.
    public static func write(_ text: String, name: String) throws -> URL {
        let url = try fresh(name)
        try Data(text.utf8).write(to: url, options: [.atomic, .completeFileProtection])
        try protect(url)
        return url
    }

    /// Copies a document the worker picked (a security-scoped URL from the document picker)
    /// into the folder as `name`, so the core reads a file of the app's own.
    public static func copyIn(_ picked: URL, name: String) throws -> URL {
        let scoped = picked.startAccessingSecurityScopedResource()
        defer { if scoped { picked.stopAccessingSecurityScopedResource() } }
        let url = try fresh(name)
        try FileManager.default.copyItem(at: picked, to: url)
        try protect(url)
        return url
    }

    /// Removes one copy (nothing to do when it is gone).
    public static func remove(_ url: URL) {
        try? FileManager.default.removeItem(at: url)
    }

    /// Removes every copy: at start (a run that ended with a picker open) and after a wipe.
    public static func discardAll() {
        try? FileManager.default.removeItem(at: root)
    }
}

/// A file of the app's handed to the document picker to be saved where the worker picks
/// (Files, iCloud Drive, a USB stick): `forExporting` with `asCopy`, so the app's copy is
/// left for the app to delete.
public struct PendingExport: Identifiable, Equatable, Sendable {
    public let id = UUID()
    public let url: URL

    public init(url: URL) {
        self.url = url
    }
}

/// `UIDocumentPickerViewController(forExporting:asCopy:)`: the worker picks where the file
/// goes. `onFinish(true)` when it was saved, `false` when the picker was cancelled; UIKit
/// calls the delegate on the main thread.
struct DocumentExportPicker: UIViewControllerRepresentable {
    let url: URL
    let onFinish: (Bool) -> Void

    func makeCoordinator() -> Coordinator {
        Coordinator(onFinish: onFinish)
    }

    func makeUIViewController(context: Context) -> UIDocumentPickerViewController {
        let picker = UIDocumentPickerViewController(forExporting: [url], asCopy: true)
        picker.delegate = context.coordinator
        picker.shouldShowFileExtensions = true
        return picker
    }

    func updateUIViewController(_ controller: UIDocumentPickerViewController, context: Context) {}

    final class Coordinator: NSObject, UIDocumentPickerDelegate {
        let onFinish: (Bool) -> Void

        init(onFinish: @escaping (Bool) -> Void) {
            self.onFinish = onFinish
        }

        func documentPicker(_ controller: UIDocumentPickerViewController, didPickDocumentsAt urls: [URL]) {
            MainActor.assumeIsolated { onFinish(!urls.isEmpty) }
        }

        func documentPickerWasCancelled(_ controller: UIDocumentPickerViewController) {
            MainActor.assumeIsolated { onFinish(false) }
        }
    }
}
