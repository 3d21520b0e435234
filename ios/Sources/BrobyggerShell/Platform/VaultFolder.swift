import Foundation

/// Where the vault lives: Application Support/Vault in the app's own container (never an
/// App Group container, which other apps and extensions of the team could read), with
/// complete file protection (unreadable while the phone is locked; new files in it inherit
/// the class) and excluded from iCloud and computer backups (a backup is the core's own
/// encrypted file under the recovery key).
public enum VaultFolder {
    public static func prepare(fileManager: FileManager = .default) throws -> URL {
        let support = try fileManager.url(
            for: .applicationSupportDirectory, in: .userDomainMask, appropriateFor: nil, create: true)
        var url = support.appendingPathComponent("Vault", isDirectory: true)
        let protection: [FileAttributeKey: Any] = [.protectionKey: FileProtectionType.complete]
        try fileManager.createDirectory(at: url, withIntermediateDirectories: true, attributes: protection)
        // An existing folder (and its files) keeps an older class unless it is set again.
        try fileManager.setAttributes(protection, ofItemAtPath: url.path)
        for file in try fileManager.contentsOfDirectory(atPath: url.path) {
            try fileManager.setAttributes(protection, ofItemAtPath: url.appendingPathComponent(file).path)
        }
        var values = URLResourceValues()
        values.isExcludedFromBackup = true
        try url.setResourceValues(values)
        return url
    }
}
