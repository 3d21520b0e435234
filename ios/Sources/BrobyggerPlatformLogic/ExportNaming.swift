import Foundation

/// Names of the report's exported files. A file name travels further than its content (mail
/// subjects, recent-files lists, cloud folders), so it says only what and when: a fixed word
/// and the period's dates, never a venue's or a person's name. The core's own CSV names
/// (`03-topics.csv`) are kept, reduced to plain characters so no name can leave the folder.
public enum ExportNaming {
    /// `brobygger-evaluering_2026-01-01_2026-12-31` (`brobygger-evaluation_…` in English).
    public static func base(from: DateComponents, to: DateComponents, danish: Bool) -> String {
        "brobygger-\(danish ? "evaluering" : "evaluation")_\(isoDay(from))_\(isoDay(to))"
    }

    /// The HTML page's file name.
    public static func html(from: DateComponents, to: DateComponents, danish: Bool) -> String {
        base(from: from, to: to, danish: danish) + ".html"
    }

    /// A backup's file name: `brobygger-sikkerhedskopi-2026-03-31.bbk` (`brobygger-backup-…`),
    /// the day it was made. The file is encrypted whole; its name says nothing more.
    public static func backup(on day: DateComponents, danish: Bool) -> String {
        "brobygger-\(danish ? "sikkerhedskopi" : "backup")-\(isoDay(day)).bbk"
    }

    /// A citizen's access-request page: `indsigt-2026-03-31.html` (`access-request-…`), the
    /// day of the export only, never the citizen's name.
    public static func accessRequest(on day: DateComponents, danish: Bool) -> String {
        "\(danish ? "indsigt" : "access-request")-\(isoDay(day)).html"
    }

    /// A name given by the core, as a plain file name: ASCII letters, digits, `-`, `_` and
    /// `.` kept, anything else (a slash, a space, a letter with an accent) made `-`; no
    /// leading dot (no hidden file, no `..`); never empty.
    public static func plain(_ name: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
        var out = String(name.map { allowed.contains($0) ? $0 : "-" })
        while out.hasPrefix(".") { out.removeFirst() }
        return out.isEmpty ? "file" : out
    }

    /// `2026-03-31`; `0000-00-00` for a part that is missing.
    static func isoDay(_ c: DateComponents) -> String {
        String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }
}
