package dk.brobygger.shell

import androidx.compose.foundation.Canvas
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.BoxWithConstraints
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Button
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.geometry.Offset
import androidx.compose.ui.geometry.Size
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.platform.LocalDensity
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.font.FontStyle
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.text.style.TextAlign
import androidx.compose.ui.unit.Dp
import androidx.compose.ui.unit.dp
import dk.brobygger.core.EvaluationReport
import dk.brobygger.core.Language
import dk.brobygger.core.ReportBar
import dk.brobygger.core.ReportCell
import dk.brobygger.core.ReportTable
import dk.brobygger.core.ReportTrendPoint
import dk.brobygger.core.Vault
import dk.brobygger.core.Venue
import kotlinx.coroutines.CoroutineDispatcher
import java.io.ByteArrayOutputStream
import java.time.LocalDate
import java.util.zip.ZipEntry
import java.util.zip.ZipOutputStream
import kotlin.math.ceil
import kotlin.math.roundToInt

/**
 * A file for the phone to share (the app's share sheet): a name that says what it is and when,
 * never who; its MIME type; its bytes. Handed over on the holder's dispatcher thread.
 */
class SharedFile(val name: String, val mimeType: String, val bytes: ByteArray)

enum class ExportFormat { CSV, HTML }

data class FiguresUi(
    val from: String,
    val to: String,
    val venueId: String? = null,
    val venues: List<Venue> = emptyList(),
    val report: EvaluationReport? = null,
    val loading: Boolean = false,
    val exportOpen: Boolean = false,
)

/**
 * The evaluation figures for a team leader: a period and a venue (or all), the core's report as
 * it is (tables with its suppressed cells, topics, the no-show trend), and its exports. The
 * report, the exports and every word in them come from the core, on the dispatcher.
 */
class FiguresState(
    private val vault: Vault,
    dispatcher: CoroutineDispatcher,
    hooks: Hooks,
    today: LocalDate,
    private val share: (SharedFile) -> Unit,
) : Holder<FiguresUi>(FiguresUi(from = today.withDayOfYear(1).toString(), to = today.toString()), dispatcher, hooks) {
    init {
        launch(quiet = true) { update { it.copy(venues = vault.listVenues()) } }
        load()
    }

    fun edit(f: (FiguresUi) -> FiguresUi) = update(f)

    fun load() {
        val ui = state.value
        val from = parseDate(ui.from) ?: return fail(pick(language, "Skriv datoen som 2026-01-01.", "Write the date as 2026-01-01."))
        val to = parseDate(ui.to) ?: return fail(pick(language, "Skriv datoen som 2026-12-31.", "Write the date as 2026-12-31."))
        // Figures of another period stay on screen under no new heading: they go before the call.
        update { it.copy(report = null, loading = true, exportOpen = false) }
        launch {
            try {
                val report = vault.evaluationReport(from, to, ui.venueId, language)
                update { it.copy(report = report) }
            } finally {
                update { it.copy(loading = false) }
            }
        }
    }

    fun toggleExport() = update { it.copy(exportOpen = !it.exportOpen) }

    /** Exports the report on screen (its period and venue), in the worker's language. */
    fun export(format: ExportFormat) {
        val r = state.value.report ?: return
        update { it.copy(exportOpen = false) }
        launch {
            val base = "brobygger-${r.from}_${r.to}"
            val file = when (format) {
                ExportFormat.HTML -> SharedFile("$base.html", "text/html", vault.evaluationHtml(r.from, r.to, r.venueId, language).toByteArray(Charsets.UTF_8))
                ExportFormat.CSV -> SharedFile("$base-csv.zip", "application/zip", zip(vault.evaluationCsv(r.from, r.to, r.venueId, language).map { it.name to it.content }))
            }
            share(file)
        }
    }
}

/** The CSV files in one zip (one file to share), each under the core's own name. */
fun zip(files: List<Pair<String, String>>): ByteArray {
    val out = ByteArrayOutputStream()
    ZipOutputStream(out).use { z ->
        for ((name, content) in files) {
            z.putNextEntry(ZipEntry(name))
            z.write(content.toByteArray(Charsets.UTF_8))
            z.closeEntry()
        }
    }
    return out.toByteArray()
}

@Composable
fun FiguresScreen(holder: FiguresState, back: () -> Unit) {
    val ui by holder.state.collectAsState()
    val error by holder.error.collectAsState()
    Screen(tr("Tal til evalueringen", "Evaluation figures"), onBack = back) {
        Field(ui.from, { v -> holder.edit { it.copy(from = v) } }, tr("Fra", "From"), "figures-from")
        Field(ui.to, { v -> holder.edit { it.copy(to = v) } }, tr("Til og med", "To, inclusive"), "figures-to")
        Chips(listOf<Venue?>(null) + ui.venues, { it?.id == ui.venueId }, { it?.name ?: tr("Alle væresteder", "All drop-in centres") }, { v -> holder.edit { it.copy(venueId = v?.id) } }, "figures-venue")
        Actions {
            Button(onClick = holder::load, enabled = !ui.loading, modifier = Modifier.testTag("figures-show")) { Text(tr("Vis", "Show")) }
            if (ui.report != null) SmallAction(tr("Eksportér …", "Export …"), "figures-export", holder::toggleExport)
        }
        if (ui.exportOpen) Actions {
            SmallAction(tr("CSV-filer (regneark)", "CSV files (spreadsheet)"), "figures-export-csv") { holder.export(ExportFormat.CSV) }
            SmallAction(tr("HTML-side (til print)", "HTML page (to print)"), "figures-export-html") { holder.export(ExportFormat.HTML) }
        }
        ErrorText(error, holder::dismissError)
        val r = ui.report ?: return@Screen
        Report(r)
    }
}

@Composable
private fun Report(r: EvaluationReport) {
    Text(r.title, style = MaterialTheme.typography.titleLarge, modifier = Modifier.testTag("figures-title"))
    Text(r.period, modifier = Modifier.testTag("figures-period"))
    Text(r.venue, modifier = Modifier.testTag("figures-venue-name"))
    Text(r.asOfText, style = MaterialTheme.typography.bodySmall)
    // Caveats first: nothing recorded, notes without a venue, damaged rows, nothing personal.
    r.notes.forEachIndexed { i, n -> Text(n, style = MaterialTheme.typography.bodyMedium, modifier = Modifier.testTag("figures-note:$i")) }
    for (t in r.tables) {
        Section(t.title)
        when (t.code) {
            "topics" -> { ChartHeading(r.topicsChart); Bars(r.topics, "topics") }
            "no_show_trend" -> { ChartHeading(r.trendChart); Trend(r.trend, t, r.language) }
            "survey" -> { ChartHeading(r.surveyChart); Bars(r.survey, "survey") }
        }
        Table(t)
        t.note?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
    }
    Section(tr("Tegnforklaring", "Legend"))
    r.legend.forEachIndexed { i, l -> Text(l, modifier = Modifier.testTag("figures-legend:$i")) }
}

/** A chart's heading, as the core words it. */
@Composable
private fun ChartHeading(text: String) = Text(text, style = MaterialTheme.typography.titleSmall)

/** A cell as the core wrote it; suppressed and undefined ones set apart by their style only. */
@Composable
private fun CellText(c: ReportCell, tag: String, modifier: Modifier = Modifier, align: TextAlign = TextAlign.End) {
    Text(
        c.text,
        textAlign = align,
        fontStyle = if (c.suppressed) FontStyle.Italic else FontStyle.Normal,
        color = if (c.value == null) MaterialTheme.colorScheme.onSurfaceVariant else Color.Unspecified,
        modifier = modifier.testTag(tag),
    )
}

/**
 * A table: a grid when its columns fit the width at the worker's font size; otherwise each row
 * as a block of "heading  value" lines, so nothing is cut off or needs sideways scrolling at
 * 200 %.
 */
@Composable
private fun Table(t: ReportTable) {
    val fontScale = LocalDensity.current.fontScale
    BoxWithConstraints(Modifier.fillMaxWidth().testTag("table:${t.code}")) {
        // What a column needs: its heading's longest word unbroken (about 7.5 dp a letter at
        // 100 %), at least room for "100,0"; the row names at least 140 dp.
        val label: Dp = 140.dp * fontScale
        val values: Dp = t.columns.drop(1).fold(0.dp) { sum, c ->
            val word = c.heading.split(' ', '-', '/').maxOfOrNull { it.length } ?: 0
            sum + maxOf(64.dp, 7.5.dp * word) * fontScale
        }
        val grid = maxWidth >= label + values
        Column(verticalArrangement = Arrangement.spacedBy(4.dp)) {
            if (grid) {
                Row {
                    t.columns.forEachIndexed { i, c ->
                        Text(
                            c.heading,
                            style = MaterialTheme.typography.labelMedium,
                            textAlign = if (i == 0) TextAlign.Start else TextAlign.End,
                            modifier = Modifier.weight(if (i == 0) LABEL_WEIGHT else 1f),
                        )
                    }
                }
                HorizontalDivider()
                for (row in t.rows) {
                    Row(verticalAlignment = Alignment.CenterVertically) {
                        row.cells.forEachIndexed { i, c ->
                            val col = t.columns.getOrNull(i)?.code ?: "$i"
                            if (i == 0) {
                                Text(c.text, fontWeight = if (row.code == "total") FontWeight.Bold else null, modifier = Modifier.weight(LABEL_WEIGHT).testTag("cell:${t.code}:${row.code}:$col"))
                            } else {
                                CellText(c, "cell:${t.code}:${row.code}:$col", Modifier.weight(1f))
                            }
                        }
                    }
                }
            } else {
                for (row in t.rows) {
                    HorizontalDivider()
                    val name = row.cells.firstOrNull()
                    if (name != null) Text(name.text, fontWeight = FontWeight.Bold, modifier = Modifier.testTag("cell:${t.code}:${row.code}:${t.columns.firstOrNull()?.code}"))
                    row.cells.drop(1).forEachIndexed { j, c ->
                        val column = t.columns.getOrNull(j + 1)
                        Row(Modifier.fillMaxWidth().semantics(mergeDescendants = true) {}, verticalAlignment = Alignment.CenterVertically) {
                            Text(column?.heading ?: "", style = MaterialTheme.typography.bodyMedium, modifier = Modifier.weight(1f))
                            CellText(c, "cell:${t.code}:${row.code}:${column?.code ?: "${j + 1}"}", Modifier.padding(start = 8.dp))
                        }
                    }
                }
            }
        }
    }
}

/** The row names' share of a grid's width against one column of figures. */
private const val LABEL_WEIGHT = 1.8f

/** Shares as horizontal bars (topics, survey); a suppressed one shows the core's marker and no bar. */
@Composable
private fun Bars(bars: List<ReportBar>, chart: String) {
    val colour = MaterialTheme.colorScheme.primary
    val track = MaterialTheme.colorScheme.surfaceVariant
    Column(Modifier.fillMaxWidth().testTag("chart:$chart"), verticalArrangement = Arrangement.spacedBy(6.dp)) {
        for (b in bars) {
            Column(Modifier.fillMaxWidth().testTag("bar:$chart:${b.code}").semantics(mergeDescendants = true) { contentDescription = "${b.label}: ${b.text}" }) {
                Row(verticalAlignment = Alignment.CenterVertically) {
                    Text(b.label, modifier = Modifier.weight(1f))
                    Text(b.text, modifier = Modifier.padding(start = 8.dp).testTag("bar-text:$chart:${b.code}"))
                }
                // The whole width as a faint track (0 % and a hidden share look empty, not missing);
                // the share, when the core shows it, over it.
                Canvas(Modifier.fillMaxWidth().height(16.dp).testTag("bar-canvas:$chart:${b.code}")) {
                    val top = Offset(0f, 2.dp.toPx())
                    val h = size.height - 4.dp.toPx()
                    drawRect(track, topLeft = top, size = Size(size.width, h))
                    val share = b.share ?: return@Canvas
                    drawRect(colour, topLeft = top, size = Size(size.width * share.toFloat().coerceIn(0f, 1f), h))
                }
            }
        }
    }
}

/** The common axis of the trend: 0 to the highest upper bound, rounded up to a tenth. */
fun trendScale(points: List<ReportTrendPoint>): Double {
    val top = points.maxOfOrNull { it.high ?: it.rate ?: 0.0 } ?: 0.0
    return (ceil(top * 10 - 1e-9) / 10).coerceIn(0.1, 1.0)
}

/**
 * The no-show rate month by month: per month a row with the core's figure and, when it is
 * shown, a point with its 95 % interval as whiskers, all on one axis from 0. Rows rather than
 * columns: a month's words and numbers wrap at any font size.
 */
@Composable
private fun Trend(points: List<ReportTrendPoint>, table: ReportTable, language: Language) {
    val scale = trendScale(points)
    val colour = MaterialTheme.colorScheme.primary
    val grid = MaterialTheme.colorScheme.outlineVariant
    val low = table.columns.indexOfFirst { it.code == "low" }
    val high = table.columns.indexOfFirst { it.code == "high" }
    Column(Modifier.fillMaxWidth().testTag("chart:trend"), verticalArrangement = Arrangement.spacedBy(6.dp)) {
        Row {
            Text(pick(language, "0 %", "0%"), style = MaterialTheme.typography.labelSmall, modifier = Modifier.weight(1f))
            val top = (scale * 100).roundToInt()
            Text(pick(language, "$top %", "$top%"), style = MaterialTheme.typography.labelSmall, modifier = Modifier.testTag("trend-scale"))
        }
        for (p in points) {
            val row = table.rows.firstOrNull { it.code == p.label }
            val interval = if (row != null && low > 0 && high > 0 && p.rate != null) {
                listOfNotNull(row.cells.getOrNull(low)?.let { "${table.columns[low].heading} ${it.text}" }, row.cells.getOrNull(high)?.let { "${table.columns[high].heading} ${it.text}" }).joinToString(", ")
            } else ""
            val said = listOf("${p.label}: ${p.text}", interval).filter { it.isNotEmpty() }.joinToString(", ")
            Column(Modifier.fillMaxWidth().testTag("trend:${p.label}").semantics(mergeDescendants = true) { contentDescription = said }) {
                Row(verticalAlignment = Alignment.CenterVertically) {
                    Text(p.label, modifier = Modifier.weight(1f))
                    Text(p.text, modifier = Modifier.padding(start = 8.dp).testTag("trend-text:${p.label}"))
                }
                Canvas(Modifier.fillMaxWidth().height(20.dp).testTag("trend-plot:${p.label}")) {
                    val pad = 6.dp.toPx()
                    val x = { v: Double -> pad + (size.width - 2 * pad) * (v / scale).toFloat().coerceIn(0f, 1f) }
                    val mid = size.height / 2
                    // Faint lines at every tenth: the axis the months share.
                    var t = 0.0
                    while (t <= scale + 1e-9) {
                        drawLine(grid, Offset(x(t), 0f), Offset(x(t), size.height), strokeWidth = 1f)
                        t += 0.1
                    }
                    val rate = p.rate ?: return@Canvas
                    val lo = p.low ?: rate
                    val hi = p.high ?: rate
                    val stroke = 2.dp.toPx()
                    val cap = 5.dp.toPx()
                    drawLine(colour, Offset(x(lo), mid), Offset(x(hi), mid), strokeWidth = stroke)
                    drawLine(colour, Offset(x(lo), mid - cap), Offset(x(lo), mid + cap), strokeWidth = stroke)
                    drawLine(colour, Offset(x(hi), mid - cap), Offset(x(hi), mid + cap), strokeWidth = stroke)
                    drawCircle(colour, radius = 5.dp.toPx(), center = Offset(x(rate), mid))
                }
            }
        }
    }
}
