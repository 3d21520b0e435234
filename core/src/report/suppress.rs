//! Small-count suppression for everything the report publishes.
//!
//! The rule: a count between 1 and 4 is never published ("<5"), and no such count may be
//! worked out from what is published. The report's counts are entered into one [`Sheet`]
//! together with the sums that tie them (a row and its total, a column and its total, the
//! same figure in two tables as one cell, attended + no-shows = appointments with an
//! outcome). Counts that are never shown but follow from shown ones (attended = with an
//! outcome − no-shows) are entered too, as unpublished cells, and are protected like the rest.
//!
//! Suppression then runs in two steps:
//! 1. primary: every published count 1–4 is hidden (`Small`);
//! 2. complementary: while some count 1–4 can still be worked out, one more shown count is
//!    hidden (`Hidden`, shown as "..") in a sum tied to it: the smallest non-zero one that
//!    stops it (or the cheapest pair), so as little as possible is lost. "Worked out" is
//!    checked two ways: exactly by linear algebra (Gauss–Jordan elimination over the hidden
//!    cells, which sees through chains of sums, not just "one hidden cell in a row"), and by
//!    the bounds a reader gets from the report itself — "<5" is 1 to 4 and ".." is at least 5
//!    — carried through the sums (so 3 + ".." = 8 does not give the 3 away as 3 + 5 would).
//!
//! Zero is published: it identifies no one. Shares and rates whose count is hidden are hidden
//! by the caller (a share and its denominator give the count back).

/// A count as it may be published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    Count(u32),
    /// Between 1 and 4: shown as "<5".
    Small,
    /// Hidden so that a count 1–4 cannot be worked out by subtraction: shown as "..".
    Hidden,
}

impl Shown {
    pub fn value(self) -> Option<u32> {
        match self {
            Shown::Count(n) => Some(n),
            _ => None,
        }
    }

    pub fn is_shown(self) -> bool {
        matches!(self, Shown::Count(_))
    }
}

/// A cell of a [`Sheet`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellId(usize);

#[derive(Debug, Clone)]
struct Entry {
    value: u32,
    published: bool,
}

/// The counts of a report and the sums that tie them.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    cells: Vec<Entry>,
    /// (total, parts): total = Σ parts.
    sums: Vec<(CellId, Vec<CellId>)>,
}

/// Whether a count must not be published or worked out.
fn sensitive(value: u32) -> bool {
    (1..=4).contains(&value)
}

impl Sheet {
    pub fn new() -> Self {
        Self::default()
    }

    /// A count that is published (unless suppressed).
    pub fn count(&mut self, value: u32) -> CellId {
        self.cells.push(Entry { value, published: true });
        CellId(self.cells.len() - 1)
    }

    /// A count never shown itself, but tied to shown ones by a sum (so it could be worked out).
    pub fn unpublished(&mut self, value: u32) -> CellId {
        self.cells.push(Entry { value, published: false });
        CellId(self.cells.len() - 1)
    }

    /// Records total = Σ parts. The values must add up (a report that does not is a bug).
    pub fn sum(&mut self, total: CellId, parts: &[CellId]) {
        debug_assert_eq!(
            self.cells[total.0].value as u64,
            parts.iter().map(|p| self.cells[p.0].value as u64).sum::<u64>(),
            "a sum entered into the sheet does not add up"
        );
        self.sums.push((total, parts.to_vec()));
    }

    pub fn value(&self, id: CellId) -> u32 {
        self.cells.get(id.0).map_or(0, |c| c.value)
    }

    /// Runs primary and complementary suppression.
    pub fn suppress(&self) -> Suppressed {
        let n = self.cells.len();
        // Hidden from the reader: unpublished cells and published counts 1–4.
        let mut hidden: Vec<bool> = self.cells.iter().map(|c| !c.published || sensitive(c.value)).collect();
        // Each round hides at least one more shown count; there are at most `n` of them.
        for _ in 0..=n {
            let Some(leak) = self.first_leak(&hidden) else { break };
            let fix = self.fix(leak, &hidden);
            if fix.is_empty() {
                break; // cannot happen with sums that add up; never loop forever
            }
            for c in fix {
                hidden[c] = true;
            }
        }
        // A count hidden on the way that can be worked out anyway protects nothing: show it,
        // unless showing it would let a bound pin a small count after all.
        for i in (0..n).rev() {
            if hidden[i] && self.cells[i].published && !sensitive(self.cells[i].value) && self.determined(&hidden)[i] {
                hidden[i] = false;
                if self.first_leak(&hidden).is_some() {
                    hidden[i] = true;
                }
            }
        }
        let shown = self
            .cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if !hidden[i] {
                    Shown::Count(c.value)
                } else if c.published && sensitive(c.value) {
                    Shown::Small
                } else {
                    Shown::Hidden
                }
            })
            .collect();
        Suppressed { shown }
    }

    /// The first count 1–4 a reader can work out, if any.
    fn first_leak(&self, hidden: &[bool]) -> Option<usize> {
        let exposed = self.exposed(hidden);
        (0..self.cells.len()).find(|&i| sensitive(self.cells[i].value) && exposed[i])
    }

    /// For every cell, whether a reader can work out its exact value: by linear algebra over
    /// the sums ([`Sheet::determined`]), or by the bounds the report itself gives away ("<5"
    /// is 1 to 4; ".." is not 1 to 4, so at least 5 when it is not 0) carried through the sums
    /// ([`Sheet::bounds`]).
    fn exposed(&self, hidden: &[bool]) -> Vec<bool> {
        let determined = self.determined(hidden);
        let bounds = self.bounds(hidden);
        determined.iter().zip(&bounds).map(|(d, (lo, hi))| *d || lo == hi).collect()
    }

    /// What a reader knows of each cell: an interval, narrowed through every sum until
    /// nothing changes (interval propagation).
    fn bounds(&self, hidden: &[bool]) -> Vec<(f64, f64)> {
        let mut b: Vec<(f64, f64)> = self
            .cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let v = f64::from(c.value);
                if !hidden[i] {
                    (v, v)
                } else if !c.published {
                    (0.0, f64::INFINITY)
                } else if sensitive(c.value) {
                    (1.0, 4.0)
                } else if c.value == 0 {
                    (0.0, f64::INFINITY)
                } else {
                    (5.0, f64::INFINITY)
                }
            })
            .collect();
        for _ in 0..64 {
            let mut changed = false;
            for (total, parts) in &self.sums {
                let lo_sum: f64 = parts.iter().map(|p| b[p.0].0).sum();
                let hi_sum: f64 = parts.iter().map(|p| b[p.0].1).sum();
                let t = b[total.0];
                let nt = (t.0.max(lo_sum), t.1.min(hi_sum));
                if nt != t {
                    b[total.0] = nt;
                    changed = true;
                }
                let t = b[total.0];
                for p in parts {
                    let (lo, hi) = b[p.0];
                    let others_lo = lo_sum - lo;
                    let others_hi = if hi.is_infinite() {
                        parts.iter().filter(|q| q.0 != p.0).map(|q| b[q.0].1).sum()
                    } else {
                        hi_sum - hi
                    };
                    let np = (lo.max(t.0 - others_hi), hi.min(t.1 - others_lo));
                    if np != (lo, hi) {
                        b[p.0] = np;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        b
    }

    /// What to hide next because `leak` can be worked out: the smallest non-zero shown count
    /// that alone stops it, among the counts tied to it by sums; else the pair of the smallest
    /// such counts that does (a table's rectangle); else one count by [`Sheet::next_to_hide`].
    fn fix(&self, leak: usize, hidden: &[bool]) -> Vec<usize> {
        // A hidden zero protects little (a reader who sums the rest sees it), so never zeros.
        let mut candidates: Vec<(bool, u32, usize)> = self
            .component(leak)
            .into_iter()
            .filter(|&c| !hidden[c] && self.cells[c].value > 0)
            .map(|c| (false, self.cells[c].value, c))
            .collect();
        candidates.sort_unstable();
        let mut trial = hidden.to_vec();
        let stops = |trial: &[bool]| !self.exposed(trial)[leak];
        for &(_, _, c) in &candidates {
            trial[c] = true;
            let ok = stops(&trial);
            trial[c] = false;
            if ok {
                return vec![c];
            }
        }
        // Pairs among the smallest, cheapest total first.
        let few = &candidates[..candidates.len().min(PAIR_CANDIDATES)];
        let mut pairs: Vec<(bool, u64, usize, usize)> = Vec::new();
        for (i, a) in few.iter().enumerate() {
            for b in &few[i + 1..] {
                pairs.push((a.0 || b.0, u64::from(a.1) + u64::from(b.1), a.2, b.2));
            }
        }
        pairs.sort_unstable();
        for (_, _, a, b) in pairs {
            trial[a] = true;
            trial[b] = true;
            let ok = stops(&trial);
            trial[a] = false;
            trial[b] = false;
            if ok {
                return vec![a, b];
            }
        }
        self.next_to_hide(leak, hidden).into_iter().collect()
    }

    /// Every cell tied to `start` through a chain of sums.
    fn component(&self, start: usize) -> Vec<usize> {
        let mut reached = vec![false; self.cells.len()];
        reached[start] = true;
        let mut stack = vec![start];
        while let Some(at) = stack.pop() {
            for (total, parts) in &self.sums {
                let members = || std::iter::once(total.0).chain(parts.iter().map(|p| p.0));
                if !members().any(|m| m == at) {
                    continue;
                }
                for m in members() {
                    if !reached[m] {
                        reached[m] = true;
                        stack.push(m);
                    }
                }
            }
        }
        (0..self.cells.len()).filter(|&i| reached[i]).collect()
    }

    /// When no single count stops the leak: the smallest non-zero shown count in a sum
    /// holding `leak`, or in a sum reached from it through hidden cells; a shown zero only
    /// when nothing else is left. Repeated, this ends with the leak closed.
    fn next_to_hide(&self, leak: usize, hidden: &[bool]) -> Option<usize> {
        let mut reached = vec![false; self.cells.len()];
        reached[leak] = true;
        let mut frontier = vec![leak];
        let mut best: Option<(bool, u32, usize)> = None;
        while !frontier.is_empty() {
            let mut next = Vec::new();
            for (total, parts) in &self.sums {
                let members: Vec<usize> = std::iter::once(total.0).chain(parts.iter().map(|p| p.0)).collect();
                if !members.iter().any(|m| frontier.contains(m)) {
                    continue;
                }
                for &m in &members {
                    if !hidden[m] {
                        let v = self.cells[m].value;
                        let key = (v == 0, v, m);
                        if best.is_none_or(|b| key < b) {
                            best = Some(key);
                        }
                    } else if !reached[m] {
                        reached[m] = true;
                        next.push(m);
                    }
                }
            }
            // The nearest sums first: hide next to the leak when something there can be hidden.
            if best.is_some() {
                break;
            }
            frontier = next;
        }
        best.map(|(_, _, m)| m)
    }

    /// For every cell, whether the reader can work out its value from the shown counts and
    /// the sums: shown cells trivially; a hidden cell when it is a pivot of the reduced
    /// system with no free cell beside it (Gauss–Jordan elimination over the hidden cells).
    fn determined(&self, hidden: &[bool]) -> Vec<bool> {
        let vars: Vec<usize> = (0..self.cells.len()).filter(|&i| hidden[i]).collect();
        let column_of = |cell: usize| vars.iter().position(|&v| v == cell);
        let mut rows: Vec<Vec<f64>> = Vec::new();
        for (total, parts) in &self.sums {
            let mut row = vec![0.0; vars.len()];
            if let Some(c) = column_of(total.0) {
                row[c] += 1.0;
            }
            for p in parts {
                if let Some(c) = column_of(p.0) {
                    row[c] -= 1.0;
                }
            }
            if row.iter().any(|x| *x != 0.0) {
                rows.push(row);
            }
        }
        let pivots = reduce(&mut rows, vars.len());
        let mut out: Vec<bool> = hidden.iter().map(|h| !h).collect();
        for (r, &c) in pivots.iter().enumerate() {
            let alone = rows[r].iter().enumerate().all(|(k, x)| k == c || x.abs() < EPS);
            if alone {
                out[vars[c]] = true;
            }
        }
        out
    }
}

const EPS: f64 = 1e-9;
/// How many of the smallest counts a pair is sought among (a report's tables are small).
const PAIR_CANDIDATES: usize = 12;

/// Gauss–Jordan elimination in place; returns the pivot column of each leading row.
fn reduce(rows: &mut [Vec<f64>], width: usize) -> Vec<usize> {
    let mut pivots = Vec::new();
    let mut r = 0;
    for c in 0..width {
        if r >= rows.len() {
            break;
        }
        let Some(p) = (r..rows.len()).max_by(|&a, &b| rows[a][c].abs().total_cmp(&rows[b][c].abs())) else { break };
        if rows[p][c].abs() < EPS {
            continue;
        }
        rows.swap(r, p);
        let lead = rows[r][c];
        for x in rows[r].iter_mut() {
            *x /= lead;
        }
        for k in 0..rows.len() {
            if k != r && rows[k][c].abs() >= EPS {
                let f = rows[k][c];
                let (pivot_row, other) = if k < r {
                    let (a, b) = rows.split_at_mut(r);
                    (&b[0], &mut a[k])
                } else {
                    let (a, b) = rows.split_at_mut(k);
                    (&a[r], &mut b[0])
                };
                for (o, p) in other.iter_mut().zip(pivot_row.iter()) {
                    *o -= f * p;
                }
            }
        }
        pivots.push(c);
        r += 1;
    }
    pivots
}

/// What may be published of each cell of a [`Sheet`].
#[derive(Debug, Clone)]
pub struct Suppressed {
    shown: Vec<Shown>,
}

impl Suppressed {
    pub fn get(&self, id: CellId) -> Shown {
        self.shown.get(id.0).copied().unwrap_or(Shown::Hidden)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A table of counts with row totals, column totals and a grand total, in one sheet.
    struct Grid {
        sheet: Sheet,
        inner: Vec<Vec<CellId>>,
        row_totals: Vec<CellId>,
        col_totals: Vec<CellId>,
        grand: CellId,
    }

    fn grid(values: &[Vec<u32>]) -> Grid {
        let mut sheet = Sheet::new();
        let inner: Vec<Vec<CellId>> = values.iter().map(|r| r.iter().map(|v| sheet.count(*v)).collect()).collect();
        let row_totals: Vec<CellId> = values.iter().map(|r| sheet.count(r.iter().sum())).collect();
        let cols = values[0].len();
        let col_totals: Vec<CellId> = (0..cols).map(|j| sheet.count(values.iter().map(|r| r[j]).sum())).collect();
        let grand = sheet.count(values.iter().flatten().sum());
        for (i, row) in inner.iter().enumerate() {
            sheet.sum(row_totals[i], row);
        }
        for j in 0..cols {
            let col: Vec<CellId> = inner.iter().map(|r| r[j]).collect();
            sheet.sum(col_totals[j], &col);
        }
        sheet.sum(grand, &row_totals);
        sheet.sum(grand, &col_totals);
        Grid { sheet, inner, row_totals, col_totals, grand }
    }

    fn hidden_members(s: &Suppressed, sheet: &Sheet) -> Vec<usize> {
        sheet.sums.iter().map(|(t, p)| std::iter::once(t).chain(p).filter(|c| !s.get(**c).is_shown()).count()).collect()
    }

    #[test]
    fn small_counts_are_shown_as_less_than_five_and_zero_is_shown() {
        let mut sheet = Sheet::new();
        let cells: Vec<CellId> = [0, 1, 4, 5, 120].iter().map(|v| sheet.count(*v)).collect();
        let s = sheet.suppress();
        let shown: Vec<Shown> = cells.iter().map(|c| s.get(*c)).collect();
        assert_eq!(shown, vec![Shown::Count(0), Shown::Small, Shown::Small, Shown::Count(5), Shown::Count(120)]);
    }

    #[test]
    fn one_small_cell_in_a_row_takes_the_next_smallest_with_it() {
        let mut sheet = Sheet::new();
        let parts: Vec<CellId> = [3, 40, 12, 0].iter().map(|v| sheet.count(*v)).collect();
        let total = sheet.count(55);
        sheet.sum(total, &parts);
        let s = sheet.suppress();
        assert_eq!(s.get(parts[0]), Shown::Small);
        assert_eq!(s.get(parts[2]), Shown::Hidden, "the smallest non-zero other cell");
        assert_eq!(s.get(parts[1]), Shown::Count(40));
        assert_eq!(s.get(parts[3]), Shown::Count(0));
        assert_eq!(s.get(total), Shown::Count(55), "the total stays");
    }

    #[test]
    fn when_nothing_else_in_the_row_can_be_hidden_the_total_goes() {
        let mut sheet = Sheet::new();
        let parts: Vec<CellId> = [2, 0, 0].iter().map(|v| sheet.count(*v)).collect();
        let other = sheet.count(30);
        let total = sheet.count(32);
        sheet.sum(total, &[parts[0], parts[1], parts[2], other]);
        let s = sheet.suppress();
        assert_eq!(s.get(parts[0]), Shown::Small);
        assert_eq!(s.get(other), Shown::Hidden);
        assert_eq!(s.get(total), Shown::Count(32));
        // Only zeros beside it: the small cell's total must go.
        let mut sheet = Sheet::new();
        let a = sheet.count(2);
        let z = sheet.count(0);
        let t = sheet.count(2);
        sheet.sum(t, &[a, z]);
        let s = sheet.suppress();
        assert_eq!((s.get(a), s.get(t)), (Shown::Small, Shown::Small));
        assert_eq!(s.get(z), Shown::Count(0));
    }

    #[test]
    fn a_two_way_table_is_protected_in_rows_and_columns() {
        let g = grid(&[vec![3, 20, 30], vec![25, 40, 50], vec![60, 70, 80]]);
        let s = g.sheet.suppress();
        assert_eq!(s.get(g.inner[0][0]), Shown::Small);
        // Row 0 and column 0 each need a second hidden cell, and those a fourth: a rectangle.
        assert!(hidden_members(&s, &g.sheet).iter().all(|h| *h != 1), "no sum with exactly one hidden member");
        assert_eq!(s.get(g.grand), Shown::Count(378));
        let hidden = g.inner.iter().flatten().filter(|c| !s.get(**c).is_shown()).count();
        assert_eq!(hidden, 4, "the least a rectangle needs");
        let _ = (g.row_totals, g.col_totals);
    }

    #[test]
    fn what_the_legend_says_is_used_against_it() {
        // 1 + 5 + 30 = 36: hiding the 5 beside the 1 would leave "<5" + ".." = 6, and as ".."
        // is at least 5, the "<5" would be 1. The 30 is hidden instead.
        let mut sheet = Sheet::new();
        let parts: Vec<CellId> = [1, 5, 30].iter().map(|v| sheet.count(*v)).collect();
        let total = sheet.count(36);
        sheet.sum(total, &parts);
        let s = sheet.suppress();
        let shown: Vec<Shown> = parts.iter().chain([&total]).map(|c| s.get(*c)).collect();
        assert_eq!(shown, vec![Shown::Small, Shown::Count(5), Shown::Hidden, Shown::Count(36)]);
        // A zero is never hidden to protect: 13 + 20 + ".." + "<5" = 34 would give 0 and 1.
        let mut sheet = Sheet::new();
        let parts: Vec<CellId> = [13, 20, 0, 1].iter().map(|v| sheet.count(*v)).collect();
        let total = sheet.count(34);
        sheet.sum(total, &parts);
        let s = sheet.suppress();
        let shown: Vec<Shown> = parts.iter().chain([&total]).map(|c| s.get(*c)).collect();
        assert_eq!(shown, vec![Shown::Hidden, Shown::Count(20), Shown::Count(0), Shown::Small, Shown::Count(34)]);
    }

    #[test]
    fn when_no_single_count_will_do_a_pair_closes_the_rectangle() {
        // 1 and 4 in the first row: hiding any one more count leaves 1 = 7 - 6 or the like.
        let g = grid(&[vec![1, 4], vec![6, 5]]);
        let s = g.sheet.suppress();
        let inner: Vec<Shown> = g.inner.iter().flatten().map(|c| s.get(*c)).collect();
        assert_eq!(inner, vec![Shown::Small, Shown::Small, Shown::Hidden, Shown::Hidden]);
        // The margins stay: each row and column has two unknowns, and they do not solve.
        for c in g.row_totals.iter().chain(&g.col_totals).chain([&g.grand]) {
            assert!(s.get(*c).is_shown(), "{c:?}");
        }
    }

    #[test]
    fn an_unpublished_count_that_follows_from_shown_ones_is_protected() {
        // appointments with an outcome = attended + no-shows; only the first and the last are
        // published. 2 attended out of 40 must not be worked out.
        let mut sheet = Sheet::new();
        let n = sheet.count(40);
        let attended = sheet.unpublished(2);
        let no_show = sheet.count(38);
        sheet.sum(n, &[attended, no_show]);
        let s = sheet.suppress();
        assert!(!s.get(n).is_shown() || !s.get(no_show).is_shown());
        assert_eq!(s.get(no_show), Shown::Hidden, "the smaller of the two goes");
        assert_eq!(s.get(n), Shown::Count(40));
    }

    #[test]
    fn a_leak_through_two_sums_is_found() {
        // a + b = t1 and b + c = t2, a small. Hiding b (the smallest beside a) would not do:
        // b = t2 - c, then a = t1 - b. The audit sees through the chain and hides t1 instead.
        let mut sheet = Sheet::new();
        let a = sheet.count(2);
        let b = sheet.count(7);
        let c = sheet.count(9);
        let t1 = sheet.count(9);
        let t2 = sheet.count(16);
        sheet.sum(t1, &[a, b]);
        sheet.sum(t2, &[b, c]);
        let s = sheet.suppress();
        let hidden: Vec<bool> = [a, b, c, t1, t2].iter().map(|x| !s.get(*x).is_shown()).collect();
        assert_eq!(hidden, vec![true, false, false, true, false], "{hidden:?}");
        // The naive choice leaks: with a and b hidden, a still follows.
        let mut trial = vec![false; 5];
        trial[0] = true;
        trial[1] = true;
        assert!(sheet.determined(&trial)[0]);
    }

    #[test]
    fn the_same_figure_in_two_tables_is_one_cell() {
        let mut sheet = Sheet::new();
        let shared = sheet.count(3);
        let other = sheet.count(10);
        let total = sheet.count(13);
        sheet.sum(total, &[shared, other]);
        let s = sheet.suppress();
        assert_eq!(s.get(shared), Shown::Small);
        assert_eq!(s.get(other), Shown::Hidden);
    }

    /// An alternative solution, consistent with everything the reader sees ("<5" is 1 to 4,
    /// ".." is at least 5 unless it is 0), moving `cell` along a direction in {-1, 0, 1} over
    /// the hidden cells: independent proof that the reader cannot pin the cell down.
    fn has_alternative(sheet: &Sheet, s: &Suppressed, cell: CellId) -> bool {
        let hidden: Vec<usize> = (0..sheet.cells.len()).filter(|&i| !s.get(CellId(i)).is_shown()).collect();
        let k = hidden.len();
        let Some(at) = hidden.iter().position(|&h| h == cell.0) else { return false };
        let allowed = |i: usize, v: i64| -> bool {
            let e = &sheet.cells[i];
            match s.get(CellId(i)) {
                Shown::Count(x) => v == x as i64,
                Shown::Small => (1..=4).contains(&v),
                Shown::Hidden if !e.published || e.value == 0 => v >= 0,
                Shown::Hidden => v >= 5,
            }
        };
        for code in 0..3usize.pow(k as u32) {
            let mut dir = vec![0i64; sheet.cells.len()];
            let mut c = code;
            for &h in &hidden {
                dir[h] = (c % 3) as i64 - 1;
                c /= 3;
            }
            if dir[hidden[at]] == 0 {
                continue;
            }
            if !sheet.sums.iter().all(|(t, p)| dir[t.0] == p.iter().map(|x| dir[x.0]).sum::<i64>()) {
                continue;
            }
            for step in [1i64, 2, 3, -1, -2, -3] {
                if sheet.cells.iter().enumerate().all(|(i, e)| allowed(i, e.value as i64 + step * dir[i])) {
                    return true;
                }
            }
        }
        false
    }

    proptest! {
        #[test]
        fn no_small_count_can_be_worked_out(
            rows in 2usize..=3,
            cols in 2usize..=3,
            seed in proptest::collection::vec(prop_oneof![3 => 0u32..=6, 2 => 5u32..=60], 9),
        ) {
            let values: Vec<Vec<u32>> = (0..rows).map(|i| (0..cols).map(|j| seed[i * 3 + j]).collect()).collect();
            let g = grid(&values);
            let s = g.sheet.suppress();
            for (i, e) in g.sheet.cells.iter().enumerate() {
                let id = CellId(i);
                if sensitive(e.value) {
                    prop_assert_eq!(s.get(id), Shown::Small, "every count 1-4 is shown as <5");
                } else if let Shown::Count(v) = s.get(id) {
                    prop_assert_eq!(v, e.value);
                }
            }
            for (t, p) in &g.sheet.sums {
                let hidden: Vec<&CellId> = std::iter::once(t).chain(p).filter(|c| !s.get(**c).is_shown()).collect();
                prop_assert!(hidden.len() != 1 || !sensitive(g.sheet.value(*hidden[0])), "a sum with one hidden member gives it away");
            }
            let hidden = (0..g.sheet.cells.len()).filter(|&i| !s.get(CellId(i)).is_shown()).count();
            if hidden <= 10 {
                for (i, e) in g.sheet.cells.iter().enumerate() {
                    if sensitive(e.value) {
                        prop_assert!(has_alternative(&g.sheet, &s, CellId(i)), "cell {} of {:?} can be worked out", i, values);
                    }
                }
            }
        }
    }
}
