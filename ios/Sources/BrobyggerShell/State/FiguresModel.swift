import BrobyggerCore
import BrobyggerPlatformLogic
import Foundation

/// The evaluation figures: one core call (`evaluationReport`) for the period and venue the
/// pickers show, rendered as the core publishes it (tables with counts 1–4 suppressed, chart
/// series, legend, notes); the exports are the core's CSV files and HTML page, written to a
/// temporary folder for the share sheet.
@MainActor
public final class FiguresModel: ScreenModel {
    /// The periods the picker offers; `custom` shows the two dates.
    public enum Period: Hashable, CaseIterable, Sendable {
        case thisYear, lastYear, last12Months, custom
    }

    public enum ExportFormat: Sendable {
        /// One CSV file per table and `00-about.csv`.
        case csv
        /// One printable page with the charts.
        case html
    }

    /// What one report is asked for: a change of any part is a new load.
    public struct Query: Hashable, Sendable {
        public let from: DateComponents
        public let to: DateComponents
        public let venueId: String?
        public let language: Language
    }

    @Published public var period: Period = .thisYear {
        didSet { if period != .custom { setDates(period) } }
    }
    @Published public var from = Date()
    @Published public var to = Date()
    @Published public var venueId: String? = nil
    @Published public private(set) var venues: [Venue] = []
    @Published public private(set) var report: EvaluationReport? = nil
    /// Set when an export is written: the share sheet shows while it is.
    @Published public var shared: SharedFiles? = nil

    private let calendar: Calendar
    private let now: () -> Date

    public init(core: CoreClient, calendar: Calendar = .current, now: @escaping () -> Date = { Date() }) {
        self.calendar = calendar
        self.now = now
        super.init(core: core)
        setDates(.thisYear)
    }

    /// The pickers as the core's calendar dates, in the worker's language.
    public var query: Query {
        Query(from: WallClock.day(of: from, calendar: calendar),
              to: WallClock.day(of: to, calendar: calendar),
              venueId: venueId,
              language: words.language)
    }

    /// Venues and the report for the pickers' query, read on the vault's queue. A failed load
    /// leaves no report on screen (the figures of another period would mislead); the core's
    /// refusal (a period over five years, the end before the start, a locked vault) shows in
    /// its words.
    public func load() async {
        let q = query
        let ok = await perform {
            let venues = try await core.read { try $0.listVenues() }
            let report = try await core.read {
                try $0.evaluationReport(from: q.from, to: q.to, venueId: q.venueId, language: q.language)
            }
            // The pickers moved on meanwhile: the load they started shows its own report.
            guard q == query else { return }
            self.venues = venues
            self.report = report
        }
        if !ok, q == query { report = nil }
    }

    /// Writes the export for the pickers' query and hands it to the share sheet.
    public func export(_ format: ExportFormat) async {
        let q = query
        let danish = words.danish
        let folder = ExportNaming.base(from: q.from, to: q.to, danish: danish)
        await perform {
            let files: [ExportFile]
            switch format {
            case .csv:
                files = try await core.read {
                    try $0.evaluationCsv(from: q.from, to: q.to, venueId: q.venueId, language: q.language)
                }.map { ExportFile(name: $0.name, content: $0.content) }
            case .html:
                let page = try await core.read {
                    try $0.evaluationHtml(from: q.from, to: q.to, venueId: q.venueId, language: q.language)
                }
                files = [ExportFile(name: ExportNaming.html(from: q.from, to: q.to, danish: danish), content: page)]
            }
            let urls = try await Task.detached(priority: .userInitiated) {
                try ExportFolder.write(files, folder: folder)
            }.value
            shared = SharedFiles(urls: urls)
        }
    }

    /// The share sheet closed, or the screen did: the written files go.
    public func discardExport() {
        shared = nil
        ExportFolder.discard()
    }

    private func setDates(_ period: Period) {
        let today = calendar.startOfDay(for: now())
        let year = calendar.component(.year, from: today)
        let firstOf = { (y: Int) in self.calendar.date(from: DateComponents(year: y, month: 1, day: 1)) ?? today }
        switch period {
        case .thisYear:
            from = firstOf(year)
            to = today
        case .lastYear:
            from = firstOf(year - 1)
            to = calendar.date(byAdding: .day, value: -1, to: firstOf(year)) ?? today
        case .last12Months:
            let yearAgo = calendar.date(byAdding: .year, value: -1, to: today) ?? today
            from = calendar.date(byAdding: .day, value: 1, to: yearAgo) ?? yearAgo
            to = today
        case .custom:
            break
        }
    }
}
