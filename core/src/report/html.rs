//! The report as one self-contained HTML page a team leader can open and print: inline CSS,
//! inline SVG charts (topics as bars, the no-show trend with its intervals as whiskers, the
//! survey as bars), every table, the legend and the notes. No script, no link, no image or
//! font from anywhere: the file shows the same with the network off and holds nothing but
//! what the published report holds.

use super::publish::{Bar, Cell, EvaluationReport, Pct, Table, TrendPoint, HIDDEN, SMALL, UNDEFINED};
use super::suppress::Shown;
use crate::messages::{report_percent, report_word as word, tenths, Language, ReportWord as W};
use std::fmt::Write;

/// Text for HTML (element content and attribute values alike).
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = "
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif; color: #1d1d1f;
       max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.4; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 2px solid #1f5f8b; padding-bottom: 0.2rem; }
.meta { color: #444; margin: 0.1rem 0; }
.empty { background: #fff4d6; border-left: 4px solid #c98a00; padding: 0.5rem 0.8rem; }
table { border-collapse: collapse; margin: 0.6rem 0; font-size: 0.9rem; }
th, td { border: 1px solid #c8c8c8; padding: 0.25rem 0.5rem; vertical-align: top; }
thead th { background: #eef3f7; text-align: left; }
tbody th { text-align: left; font-weight: normal; }
tbody tr[data-code='total'] th, tbody tr[data-code='total'] td { font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.note { color: #444; font-size: 0.85rem; max-width: 48rem; }
figure { margin: 0.6rem 0; }
figcaption { font-size: 0.85rem; color: #444; }
svg { max-width: 100%; height: auto; font-family: inherit; }
svg .bar { fill: #1f5f8b; }
svg .track { fill: #eef3f7; }
svg .axis, svg .grid { stroke: #c8c8c8; stroke-width: 1; }
svg .line { fill: none; stroke: #1f5f8b; stroke-width: 2; }
svg .whisker { stroke: #1f5f8b; stroke-width: 1.5; }
svg .point { fill: #1f5f8b; }
svg text { font-size: 12px; fill: #1d1d1f; }
svg .suppressed { fill: #8a5a00; }
footer { margin-top: 2rem; font-size: 0.85rem; color: #444; }
@page { size: A4; margin: 15mm; }
@media print {
  body { margin: 0; max-width: none; }
  section, figure, table { break-inside: avoid; }
  h2 { break-after: avoid; }
}
";

/// A coordinate, written with one decimal by integer arithmetic: the library carries no
/// floating-point formatting code (about 20 KB) for the sake of a chart.
#[derive(Clone, Copy)]
struct N(f64);

impl std::fmt::Display for N {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&tenths(self.0))
    }
}

/// The text a suppressed or undefined share shows in a chart.
fn marker(p: Pct, count: Shown) -> &'static str {
    match (p, count) {
        (Pct::Hidden, Shown::Small) => SMALL,
        (Pct::Hidden, _) => HIDDEN,
        _ => UNDEFINED,
    }
}

/// Horizontal bars of shares (0–100 %), one row each, the value written beside the bar.
fn bar_chart(bars: &[Bar], title: &str, lang: Language) -> String {
    const LABEL_W: f64 = 300.0;
    const BAR_W: f64 = 280.0;
    const ROW_H: f64 = 28.0;
    const TOP: f64 = 24.0;
    let (width, height) = (N(LABEL_W + BAR_W + 80.0), N(TOP + ROW_H * bars.len() as f64 + 8.0));
    let (label_w, bar_w) = (N(LABEL_W), N(BAR_W));
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart bars" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{t}"><title>{t}</title>"#,
        t = esc(title)
    );
    for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let x = N(LABEL_W + BAR_W * tick);
        let _ = write!(
            s,
            r#"<line class="grid" x1="{x}" y1="{y1}" x2="{x}" y2="{y2}"/><text x="{x}" y="14" text-anchor="middle">{l}</text>"#,
            y1 = N(TOP - 4.0),
            y2 = N(height.0 - 8.0),
            l = esc(&report_percent(tick, lang).replace(",0", "").replace(".0", "")),
        );
    }
    for (i, b) in bars.iter().enumerate() {
        let y = TOP + ROW_H * i as f64;
        let _ = write!(
            s,
            r#"<text x="{lx}" y="{ty}" text-anchor="end">{label}</text><rect class="track" x="{label_w}" y="{by}" width="{bar_w}" height="18"/>"#,
            lx = N(LABEL_W - 8.0),
            ty = N(y + 14.0),
            by = N(y + 1.0),
            label = esc(&b.label),
        );
        match b.share {
            Pct::Value(v) => {
                let w = N(BAR_W * v.clamp(0.0, 1.0));
                let _ = write!(
                    s,
                    r#"<rect class="bar" data-code="{code}" x="{label_w}" y="{by}" width="{w}" height="18"/><text x="{vx}" y="{ty}">{v}</text>"#,
                    code = esc(&b.code),
                    by = N(y + 1.0),
                    vx = N(LABEL_W + BAR_W + 6.0),
                    ty = N(y + 14.0),
                    v = esc(&report_percent(v, lang)),
                );
            }
            p => {
                let _ = write!(
                    s,
                    r#"<text class="suppressed" data-code="{code}" x="{vx}" y="{ty}">{m}</text>"#,
                    code = esc(&b.code),
                    vx = N(LABEL_W + BAR_W + 6.0),
                    ty = N(y + 14.0),
                    m = esc(marker(p, b.count)),
                );
            }
        }
    }
    s.push_str("</svg>");
    s
}

/// The no-show rate month by month: points joined by a line, each with its 95 % interval as a
/// whisker; a month whose figures are suppressed shows its marker instead of a point.
fn trend_chart(points: &[TrendPoint], title: &str, lang: Language) -> String {
    const LEFT: f64 = 56.0;
    const RIGHT: f64 = 16.0;
    const TOP: f64 = 16.0;
    const PLOT_H: f64 = 200.0;
    const BOTTOM: f64 = 44.0;
    let step = if points.len() > 24 { 14.0 } else { 40.0 };
    let plot_w = (step * points.len().max(1) as f64).max(240.0);
    let (width, height, left) = (N(LEFT + plot_w + RIGHT), N(TOP + PLOT_H + BOTTOM), N(LEFT));
    // The scale: up to the highest interval shown, in steps of 5 %, at least 10 %.
    let top = points.iter().filter_map(|p| p.high.or(p.rate.value())).fold(0.1f64, f64::max);
    let y_max = ((top * 20.0).ceil() / 20.0).min(1.0);
    let y = |v: f64| N(TOP + PLOT_H * (1.0 - v / y_max));
    let x = |i: usize| N(LEFT + step * (i as f64 + 0.5));
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart trend" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{t}"><title>{t}</title>"#,
        t = esc(title)
    );
    let ticks = (y_max / 0.05).round() as usize;
    let every = ticks.div_ceil(5).max(1);
    for k in (0..=ticks).step_by(every) {
        let v = k as f64 * 0.05;
        let _ = write!(
            s,
            r#"<line class="grid" x1="{left}" y1="{py}" x2="{x2}" y2="{py}"/><text x="{tx}" y="{ty}" text-anchor="end">{l}</text>"#,
            py = y(v),
            x2 = N(LEFT + plot_w),
            tx = N(LEFT - 6.0),
            ty = N(y(v).0 + 4.0),
            l = esc(&report_percent(v, lang)),
        );
    }
    let _ = write!(
        s,
        r#"<line class="axis" x1="{left}" y1="{b}" x2="{x2}" y2="{b}"/>"#,
        b = N(TOP + PLOT_H),
        x2 = N(LEFT + plot_w)
    );
    // The line joins neighbouring months that both have a rate.
    let mut run: Vec<String> = Vec::new();
    let mut lines = String::new();
    let flush = |run: &mut Vec<String>, lines: &mut String| {
        if run.len() > 1 {
            let _ = write!(lines, r#"<polyline class="line" points="{}"/>"#, run.join(" "));
        }
        run.clear();
    };
    for (i, p) in points.iter().enumerate() {
        match p.rate {
            Pct::Value(v) => run.push(format!("{},{}", x(i), y(v))),
            _ => flush(&mut run, &mut lines),
        }
    }
    flush(&mut run, &mut lines);
    s.push_str(&lines);
    let label_every = points.len().div_ceil(12).max(1);
    for (i, p) in points.iter().enumerate() {
        let px = x(i);
        match (p.rate, p.low, p.high) {
            (Pct::Value(v), Some(lo), Some(hi)) => {
                let _ = write!(
                    s,
                    r#"<g data-month="{m}"><line class="whisker" x1="{px}" y1="{ylo}" x2="{px}" y2="{yhi}"/><line class="whisker" x1="{a}" y1="{ylo}" x2="{b}" y2="{ylo}"/><line class="whisker" x1="{a}" y1="{yhi}" x2="{b}" y2="{yhi}"/><circle class="point" cx="{px}" cy="{py}" r="3.5"><title>{t}</title></circle></g>"#,
                    m = esc(&p.label),
                    ylo = y(lo),
                    yhi = y(hi),
                    a = N(px.0 - 4.0),
                    b = N(px.0 + 4.0),
                    py = y(v),
                    t = esc(&format!(
                        "{}: {} ({}–{})",
                        p.label,
                        report_percent(v, lang),
                        report_percent(lo, lang),
                        report_percent(hi, lang)
                    )),
                );
            }
            (Pct::Value(_), _, _) | (Pct::Undefined, _, _) => {}
            (Pct::Hidden, _, _) => {
                let _ = write!(
                    s,
                    r#"<text class="suppressed" data-month="{m}" x="{px}" y="{ty}" text-anchor="middle">{mk}</text>"#,
                    m = esc(&p.label),
                    ty = N(TOP + PLOT_H - 6.0),
                    mk = esc(marker(p.rate, p.no_shows)),
                );
            }
        }
        // The month's number under each point (every few months on a long axis), the year
        // under the first month shown of each year.
        if i % label_every == 0 {
            let _ = write!(
                s,
                r#"<text x="{px}" y="{ty}" text-anchor="middle">{m:02}</text>"#,
                ty = N(TOP + PLOT_H + 16.0),
                m = p.month,
            );
        }
        if i == 0 || p.month == 1 {
            let _ = write!(
                s,
                r#"<text x="{px}" y="{ty}" text-anchor="middle">{y}</text>"#,
                ty = N(TOP + PLOT_H + 32.0),
                y = p.year,
            );
        }
    }
    s.push_str("</svg>");
    s
}

fn table_html(t: &Table, lang: Language) -> String {
    let mut s = String::new();
    // The section's heading names the table (no caption repeating it).
    let _ = write!(s, r#"<table id="t-{c}" aria-labelledby="h-{c}"><thead><tr>"#, c = esc(t.code));
    for c in &t.columns {
        let _ = write!(s, r#"<th scope="col">{}</th>"#, esc(&c.heading));
    }
    s.push_str("</tr></thead><tbody>");
    for r in &t.rows {
        let _ = write!(s, r#"<tr data-code="{}">"#, esc(&r.code));
        for (i, c) in r.cells.iter().enumerate() {
            match c {
                Cell::Label(l) if i == 0 => {
                    let _ = write!(s, r#"<th scope="row">{}</th>"#, esc(l));
                }
                Cell::Label(l) => {
                    let _ = write!(s, "<td>{}</td>", esc(l));
                }
                other => {
                    let _ = write!(s, r#"<td class="num">{}</td>"#, esc(&other.text(lang)));
                }
            }
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table>");
    if let Some(n) = &t.note {
        let _ = write!(s, r#"<p class="note">{}</p>"#, esc(n));
    }
    s
}

/// The whole report as one HTML document.
pub fn html(r: &EvaluationReport) -> String {
    let lang = r.language;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<!DOCTYPE html><html lang="{l}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{t}</title><style>{STYLE}</style></head><body><header><h1>{t}</h1><p class="meta period">{p}</p><p class="meta venue">{v}</p><p class="meta as-of">{a}</p></header>"#,
        l = lang.as_str(),
        t = esc(&r.title),
        p = esc(&r.period),
        v = esc(&r.venue),
        a = esc(&r.as_of_text),
    );
    if r.empty {
        let _ = write!(s, r#"<p class="empty">{}</p>"#, esc(word(W::NothingRecorded, lang)));
    }
    s.push_str("<main>");
    for t in &r.tables {
        let _ = write!(s, r#"<section id="{c}"><h2 id="h-{c}">{}</h2>"#, esc(&t.title), c = esc(t.code));
        let chart = match t.code {
            "topics" if !r.topics.is_empty() => {
                Some((bar_chart(&r.topics, word(W::ChartTopics, lang), lang), W::ChartTopics))
            }
            "no_show_trend" if !r.trend.is_empty() => {
                Some((trend_chart(&r.trend, word(W::ChartTrend, lang), lang), W::ChartTrend))
            }
            "survey" if !r.survey.is_empty() => {
                Some((bar_chart(&r.survey, word(W::ChartSurvey, lang), lang), W::ChartSurvey))
            }
            _ => None,
        };
        if let Some((svg, caption)) = chart {
            let _ = write!(s, "<figure>{svg}<figcaption>{}</figcaption></figure>", esc(word(caption, lang)));
        }
        s.push_str(&table_html(t, lang));
        s.push_str("</section>");
    }
    s.push_str("</main><footer><h2>");
    s.push_str(&esc(word(W::RowLegend, lang)));
    s.push_str(r#"</h2><ul class="legend">"#);
    for l in &r.legend {
        let _ = write!(s, "<li>{}</li>", esc(l));
    }
    s.push_str(r#"</ul><ul class="notes">"#);
    for n in &r.notes {
        let _ = write!(s, "<li>{}</li>", esc(n));
    }
    s.push_str("</ul></footer></body></html>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(esc(r#"<b>"Tom" & 'Jerry'</b>"#), "&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;");
        assert_eq!(esc("Værestedet Æblet"), "Værestedet Æblet");
    }
}
