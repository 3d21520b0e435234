import BrobyggerCore
import Charts
import SwiftUI

/// The evaluation figures for a period and a venue, as the core publishes them: caveats,
/// charts (topics and satisfaction as bars, the no-show rate month by month with its 95 %
/// interval), every table with suppressed counts shown as the core writes them, the legend;
/// and the exports (CSV files, one HTML page) through the share sheet.
struct FiguresView: View {
    @Environment(\.words) private var t
    @StateObject private var model: FiguresModel

    init(core: CoreClient) {
        _model = StateObject(wrappedValue: FiguresModel(core: core))
    }

    var body: some View {
        List {
            pickers
            MessageSection(message: model.message)
            if let report = model.report {
                ReportSections(report: report)
            } else if model.busy {
                Section { ProgressView().frame(maxWidth: .infinity) }
            }
        }
        .navigationTitle(t("Evaluering", "Evaluation"))
        .toolbar {
            ToolbarItem(placement: .primaryAction) {
                Menu {
                    Button(t("CSV-filer (én pr. tabel)", "CSV files (one per table)")) {
                        Task { await model.export(.csv) }
                    }
                    Button(t("HTML-side med figurer", "HTML page with charts")) {
                        Task { await model.export(.html) }
                    }
                } label: {
                    Label(t("Eksportér", "Export"), systemImage: "square.and.arrow.up")
                }
                .disabled(model.report == nil || model.busy)
            }
        }
        // Every change of period, dates or venue loads again (the previous load is dropped).
        .task(id: model.query) { await model.load() }
        .sheet(item: $model.shared, onDismiss: { model.discardExport() }) { files in
            ShareSheet(urls: files.urls) { model.discardExport() }
                .presentationDetents([.medium, .large])
        }
        .onDisappear { model.discardExport() }
    }

    @ViewBuilder private var pickers: some View {
        Section {
            Picker(t.report.period, selection: $model.period) {
                Text(t("I år", "This year")).tag(FiguresModel.Period.thisYear)
                Text(t("Sidste år", "Last year")).tag(FiguresModel.Period.lastYear)
                Text(t("Seneste 12 måneder", "Last 12 months")).tag(FiguresModel.Period.last12Months)
                Text(t("Vælg datoer", "Choose dates")).tag(FiguresModel.Period.custom)
            }
            if model.period == .custom {
                DatePicker(t("Fra", "From"), selection: $model.from, displayedComponents: .date)
                DatePicker(t("Til og med", "Until and including"), selection: $model.to, displayedComponents: .date)
            }
            Picker(t.report.venue, selection: $model.venueId) {
                Text(t.report.allVenues).tag(String?.none)
                ForEach(model.venues, id: \.id) { Text($0.name).tag(String?.some($0.id)) }
            }
        }
    }
}

/// The report itself, in the order the HTML page has it.
private struct ReportSections: View {
    let report: EvaluationReport

    var body: some View {
        Section {
            VStack(alignment: .leading, spacing: 4) {
                Text(report.title).font(.headline)
                Text(report.period)
                Text(report.venue)
                Text(report.asOfText).foregroundStyle(.secondary).font(.footnote)
            }
            .accessibilityElement(children: .combine)
            ForEach(report.notes, id: \.self) { note in
                Banner(text: note)
            }
        }
        if let table = findTable("topics"), !report.topics.isEmpty {
            Section(report.topicsChart) {
                ShareBars(bars: report.topics, table: table)
            }
        }
        if let table = findTable("no_show_trend"), report.trend.contains(where: { $0.rate != nil }) {
            Section(report.trendChart) {
                NoShowTrendChart(points: report.trend, table: table)
            }
        }
        if let table = findTable("survey"), report.survey.contains(where: { $0.share != nil }) {
            Section(report.surveyChart) {
                ShareBars(bars: report.survey, table: table)
            }
        }
        ForEach(report.tables, id: \.code) { table in
            ReportTableSection(table: table, legend: report.legend)
        }
        Section {
            ForEach(report.legend, id: \.self) { Text($0).font(.footnote) }
        }
    }

    private func findTable(_ code: String) -> ReportTable? {
        report.tables.first { $0.code == code }
    }
}

/// One table: a row per line (name and count) when it has one figure, otherwise the row's
/// name over one line per column ("heading … value"), so nothing is cut off at any text size
/// and VoiceOver reads each figure with its heading.
private struct ReportTableSection: View {
    let table: ReportTable
    let legend: [String]

    var body: some View {
        Section {
            ForEach(table.rows, id: \.code) { row in
                ReportRowView(row: row, columns: table.columns, legend: legend)
            }
        } header: {
            Text(table.title)
        } footer: {
            if let note = table.note { Text(note) }
        }
    }
}

private struct ReportRowView: View {
    let row: ReportRow
    let columns: [ReportColumn]
    let legend: [String]

    var body: some View {
        let name = row.cells.first?.text ?? row.code
        let values = Array(zip(columns.dropFirst(), row.cells.dropFirst()))
        if values.count == 1, let only = values.first {
            AdaptiveStack {
                Text(name).fontWeight(isTotal ? .semibold : .regular)
                Spacer(minLength: 8)
                ReportCellText(cell: only.1, legend: legend)
            }
            .accessibilityElement(children: .combine)
        } else {
            VStack(alignment: .leading, spacing: 4) {
                Text(name)
                    .font(.subheadline.weight(.semibold))
                    .accessibilityAddTraits(.isHeader)
                ForEach(values.indices, id: \.self) { i in
                    AdaptiveStack {
                        Text(values[i].0.heading).foregroundStyle(.secondary)
                        Spacer(minLength: 8)
                        ReportCellText(cell: values[i].1, legend: legend)
                    }
                    .font(.footnote)
                    .accessibilityElement(children: .combine)
                }
            }
            .padding(.vertical, 2)
        }
    }

    private var isTotal: Bool { row.code == "total" }
}

/// A figure as the core writes it ("12", "<5", "..", "12,5", "–"); a marker is dimmed and
/// read aloud as the legend explains it.
private struct ReportCellText: View {
    let cell: ReportCell
    let legend: [String]

    var body: some View {
        Text(cell.text)
            .monospacedDigit()
            .foregroundStyle(cell.value == nil ? Color.secondary : Color.primary)
            .accessibilityLabel(FigureWords.meaning(of: cell.text, legend: legend) ?? cell.text)
    }
}

/// Words for the figures, all taken from the report.
enum FigureWords {
    /// A marker's meaning from the report's legend: "<5" with "<5: mellem 1 og 4" gives
    /// "mellem 1 og 4"; nil for a number.
    static func meaning(of text: String, legend: [String]) -> String? {
        let prefix = text + ":"
        guard let line = legend.first(where: { $0.hasPrefix(prefix) }) else { return nil }
        return line.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
    }

    /// A row of a table read as "heading: value, …" (VoiceOver on a chart's mark).
    static func row(_ code: String, in table: ReportTable) -> String? {
        guard let row = table.rows.first(where: { $0.code == code }) else { return nil }
        return zip(table.columns.dropFirst(), row.cells.dropFirst())
            .map { "\($0.heading): \($1.text)" }
            .joined(separator: ", ")
    }
}

/// Shares as horizontal bars (topics, satisfaction), each with the core's text beside it; a
/// suppressed share has no bar, only its marker. At the accessibility text sizes, a list.
private struct ShareBars: View {
    let bars: [ReportBar]
    let table: ReportTable
    @Environment(\.dynamicTypeSize) private var size
    @Environment(\.words) private var t
    @ScaledMetric private var rowHeight: CGFloat = 52

    var body: some View {
        if size.isAccessibilitySize {
            ForEach(bars, id: \.code) { bar in
                ValueRow(label: bar.label, value: bar.text)
            }
        } else {
            Chart(bars, id: \.code) { bar in
                BarMark(x: .value(shareHeading, bar.share ?? 0), y: .value(nameHeading, bar.label))
                    .annotation(position: .top, alignment: .leading) {
                        Text(bar.label).font(.caption)
                    }
                    .annotation(position: .trailing, alignment: .leading) {
                        Text(bar.text).font(.caption).monospacedDigit()
                    }
                    .accessibilityLabel(bar.label)
                    .accessibilityValue(FigureWords.row(bar.code, in: table) ?? bar.text)
            }
            .chartXScale(domain: 0...1.2)
            .chartXAxis {
                AxisMarks(values: [0, 0.25, 0.5, 0.75, 1]) { value in
                    AxisGridLine()
                    AxisValueLabel {
                        if let v = value.as(Double.self) {
                            Text(v, format: .percent.precision(.fractionLength(0)).locale(t.locale))
                        }
                    }
                }
            }
            .chartYAxis(.hidden)
            .frame(height: CGFloat(bars.count) * rowHeight + 32)
            .padding(.vertical, 8)
        }
    }

    private var nameHeading: String { table.columns.first?.heading ?? table.title }
    /// The table's share column ("Andel af samtaler med emner (%)").
    private var shareHeading: String { table.columns.last?.heading ?? table.title }
}

/// The no-show rate month by month: a point per month whose rate is shown, with a rule for
/// its 95 % interval; a month whose counts are suppressed has no mark (the table beneath
/// shows its marker).
private struct NoShowTrendChart: View {
    let points: [ReportTrendPoint]
    let table: ReportTable
    @Environment(\.words) private var t
    @ScaledMetric private var height: CGFloat = 240

    var body: some View {
        Chart {
            ForEach(points, id: \.label) { point in
                if let rate = point.rate, let start = monthStart(point) {
                    if let low = point.low, let high = point.high {
                        RuleMark(x: .value(monthHeading, start, unit: .month),
                                 yStart: .value(rateHeading, low),
                                 yEnd: .value(rateHeading, high))
                            .lineStyle(StrokeStyle(lineWidth: 2, lineCap: .round))
                            .foregroundStyle(Color.accentColor.opacity(0.4))
                            .accessibilityHidden(true)
                    }
                    PointMark(x: .value(monthHeading, start, unit: .month), y: .value(rateHeading, rate))
                        .foregroundStyle(Color.accentColor)
                        .accessibilityLabel(point.label)
                        .accessibilityValue(FigureWords.row(point.label, in: table) ?? point.text)
                }
            }
        }
        .chartYScale(domain: .automatic(includesZero: true))
        .chartYAxis {
            AxisMarks { value in
                AxisGridLine()
                AxisValueLabel {
                    if let v = value.as(Double.self) {
                        Text(v, format: .percent.precision(.fractionLength(0)).locale(t.locale))
                    }
                }
            }
        }
        .chartXAxis {
            AxisMarks(values: .automatic(desiredCount: 6)) { _ in
                AxisGridLine()
                AxisValueLabel(format: .dateTime.month(.abbreviated).year(.twoDigits))
            }
        }
        .environment(\.locale, t.locale)
        .frame(height: height)
        .padding(.vertical, 8)
    }

    private var monthHeading: String { table.columns.first?.heading ?? table.title }
    private var rateHeading: String {
        table.columns.first(where: { $0.code == "rate" })?.heading ?? table.title
    }

    private func monthStart(_ point: ReportTrendPoint) -> Date? {
        Calendar.current.date(from: DateComponents(year: Int(point.year), month: Int(point.month), day: 1))
    }
}
