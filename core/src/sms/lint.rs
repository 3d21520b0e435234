//! The discretion lint. A citizen's phone is often shared, so a reminder must never name
//! substance abuse, alcohol, psychiatry, debt, sanctions, the job centre, treatment,
//! benefits or the organisations that help with these (SPEC §1).
//!
//! How words are matched (each text is split into words at anything not a letter or a
//! digit, lower-cased and NFC-normalised):
//! - A long, unambiguous stem is caught anywhere in a word, since Danish writes compounds
//!   as one word: "psykiat" flags "Distriktspsykiatrien", "Socialpsykiatrien" and the
//!   "ungdomspsykiatrien" of "Børne- og ungdomspsykiatrien". Where an innocent word
//!   happens to contain the stem, it is listed beside the stem and a hit inside it does
//!   not count: "gæld" (debt) but not "gælder"/"gældende" (applies), "behandling"
//!   (treatment) but not "sagsbehandling" (case handling), "narko" but not "narkose".
//! - A stem that is also the tail of innocent compounds is caught only at the start of a
//!   word: "terapi" flags "terapeut" and "terapiforløb" (treatment) but "fysioterapeut"
//!   and "ergoterapi" pass; English "therap" likewise passes "physiotherapy".
//! - Short words that hide inside innocent ones are matched whole, with listed endings
//!   only: "øl" but not "Øllingegård", "vin" but not "Vinduet", "stof" but not
//!   "stofskifte", "hash" but not "Hashtag", "drug" but not "drugstore".
//! - Names of organisations that are also ordinary words are matched by their spelling:
//!   "AA", "NA" and "SIND" only in capitals. "Exit" (the exit programme for gangs) is
//!   flagged in "Exitfonden"/"Exit-programmet", and as a capitalised "Exit"/"EXIT" in the
//!   middle of a sentence and not followed by a number; a lower-case "exit", or one that
//!   starts a sentence or names a motorway exit ("Exit 12"), is the ordinary word.
//! - Phrases are matched on consecutive words: "Blå Kors", "Udbetaling Danmark",
//!   "a-kasse", "job centre".
//!
//! Decided on purpose: "psykolog" and "psykologisk" are flagged (seeing one is mental
//! health care), and so is "terapeut". Not flagged: "behandle"/"behandler" (the verb:
//! "vi behandler din sag"; the noun forms "behandleren", "behandlere" are flagged),
//! "sagsbehandler", "Ældresagen", "Borgerservice", "pension", and places where outreach
//! work meets people ("Kirkens Korshær", "varmestuen"). Hospitals named after places
//! ("Sct. Hans" is also midsummer, "Risskov" a suburb) cannot be told from the places.

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    SubstanceAbuse,
    Alcohol,
    MentalHealth,
    Debt,
    Sanctions,
    JobCentre,
    Treatment,
    Benefits,
    /// An organisation whose name tells what it helps with (Lænken, Blå Kors, ...).
    HelpOrganisation,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::SubstanceAbuse => "substance_abuse",
            Category::Alcohol => "alcohol",
            Category::MentalHealth => "mental_health",
            Category::Debt => "debt",
            Category::Sanctions => "sanctions",
            Category::JobCentre => "job_centre",
            Category::Treatment => "treatment",
            Category::Benefits => "benefits",
            Category::HelpOrganisation => "help_organisation",
        }
    }
}

/// A word that made the lint flag a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    pub word: String,
    pub category: Category,
}

use Category::*;

/// Where in a word a stem counts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Anywhere: the stem is unambiguous even inside a compound.
    Anywhere,
    /// Only at the start of the word: the stem ends innocent compounds.
    Start,
}

/// A sensitive stem, with the innocent words that contain it.
#[derive(Clone, Copy)]
struct Stem {
    stem: &'static str,
    category: Category,
    place: Place,
    /// Innocent words (or parts of words) that contain the stem; a hit inside one of
    /// them does not count. `$` at the end ties the pattern to the end of the word.
    unless: &'static [&'static str],
}

const fn anywhere(stem: &'static str, category: Category) -> Stem {
    Stem { stem, category, place: Place::Anywhere, unless: &[] }
}

const fn start(stem: &'static str, category: Category) -> Stem {
    Stem { stem, category, place: Place::Start, unless: &[] }
}

impl Stem {
    const fn unless(self, unless: &'static [&'static str]) -> Stem {
        Stem { unless, ..self }
    }
}

const STEMS: &[Stem] = &[
    // Substance abuse (and addiction).
    anywhere("misbrug", SubstanceAbuse),
    anywhere("narko", SubstanceAbuse).unless(&["narkose", "narkolep"]),
    anywhere("rusmiddel", SubstanceAbuse),
    anywhere("rusmidl", SubstanceAbuse),
    anywhere("rusbehandl", SubstanceAbuse),
    anywhere("afrusning", SubstanceAbuse),
    anywhere("heroin", SubstanceAbuse).unless(&["heroine$", "heroines$"]),
    anywhere("kokain", SubstanceAbuse),
    anywhere("amfetamin", SubstanceAbuse),
    anywhere("amphetamin", SubstanceAbuse),
    anywhere("metadon", SubstanceAbuse),
    anywhere("buprenorfin", SubstanceAbuse),
    anywhere("subutex", SubstanceAbuse),
    anywhere("suboxone", SubstanceAbuse),
    anywhere("fentanyl", SubstanceAbuse),
    anywhere("opioid", SubstanceAbuse),
    anywhere("opiat", SubstanceAbuse),
    anywhere("benzodiazepin", SubstanceAbuse),
    anywhere("cannabis", SubstanceAbuse),
    anywhere("marihuana", SubstanceAbuse),
    anywhere("ketamin", SubstanceAbuse),
    anywhere("ecstasy", SubstanceAbuse),
    anywhere("mdma", SubstanceAbuse),
    anywhere("overdos", SubstanceAbuse),
    anywhere("stofbrug", SubstanceAbuse),
    start("stoffri", SubstanceAbuse),
    anywhere("fixerum", SubstanceAbuse),
    anywhere("sprøjterum", SubstanceAbuse),
    anywhere("stiksrum", SubstanceAbuse),
    anywhere("injektionsrum", SubstanceAbuse),
    start("substitution", SubstanceAbuse),
    anywhere("afvænning", SubstanceAbuse),
    anywhere("abstinens", SubstanceAbuse),
    anywhere("ludoman", SubstanceAbuse),
    anywhere("spilafhængig", SubstanceAbuse),
    anywhere("addict", SubstanceAbuse),
    anywhere("narcotic", SubstanceAbuse),
    anywhere("cocaine", SubstanceAbuse),
    anywhere("methadone", SubstanceAbuse),
    anywhere("marijuana", SubstanceAbuse),
    // Alcohol.
    anywhere("alkohol", Alcohol),
    start("druk", Alcohol).unless(&["drukn"]),
    anywhere("fulddruk", Alcohol),
    anywhere("spiritus", Alcohol),
    anywhere("antabus", Alcohol),
    anywhere("alcohol", Alcohol),
    start("drunk", Alcohol),
    // Mental health.
    anywhere("psykiat", MentalHealth),
    anywhere("psykos", MentalHealth),
    anywhere("psykot", MentalHealth),
    anywhere("psykolog", MentalHealth),
    anywhere("psykoterap", MentalHealth),
    anywhere("skizofren", MentalHealth),
    anywhere("bipolar", MentalHealth),
    anywhere("depressi", MentalHealth),
    start("angst", MentalHealth),
    anywhere("angstklinik", MentalHealth),
    anywhere("selvmord", MentalHealth),
    anywhere("selvskade", MentalHealth),
    anywhere("sindslid", MentalHealth),
    anywhere("spiseforstyrr", MentalHealth),
    anywhere("personlighedsforstyrr", MentalHealth),
    anywhere("tvangsindlæg", MentalHealth),
    anywhere("ptsd", MentalHealth),
    anywhere("adhd", MentalHealth),
    anywhere("psychiatr", MentalHealth),
    anywhere("psychos", MentalHealth),
    anywhere("psychot", MentalHealth),
    anywhere("psycholog", MentalHealth),
    anywhere("schizophren", MentalHealth),
    anywhere("suicid", MentalHealth),
    // Debt.
    anywhere("gæld", Debt).unless(&["gælde$", "gælder", "gældende", "gældte"]),
    anywhere("inkasso", Debt),
    anywhere("fogedret", Debt),
    anywhere("udpantning", Debt),
    anywhere("lønindeholdelse", Debt),
    anywhere("restance", Debt),
    start("tilbagebetaling", Debt),
    anywhere("kviklån", Debt),
    anywhere("betalingsanmærkning", Debt),
    start("afdrag", Debt),
    anywhere("debt", Debt),
    anywhere("bailiff", Debt),
    anywhere("arrears", Debt),
    // Sanctions.
    anywhere("sanktion", Sanctions),
    start("fradrag", Sanctions),
    anywhere("sanction", Sanctions),
    // Job centre.
    anywhere("jobcent", JobCentre),
    anywhere("ressourceforløb", JobCentre),
    anywhere("jobafklaring", JobCentre),
    anywhere("rehabiliteringsteam", JobCentre),
    anywhere("fleksjob", JobCentre),
    anywhere("revalidering", JobCentre),
    // Benefits.
    anywhere("kontanthjælp", Benefits),
    anywhere("uddannelseshjælp", Benefits),
    anywhere("integrationsydelse", Benefits),
    anywhere("forsørgelsesydelse", Benefits),
    anywhere("overgangsydelse", Benefits),
    anywhere("enkeltydelse", Benefits),
    anywhere("ydelsescent", Benefits),
    anywhere("ydelseskontor", Benefits),
    anywhere("ydelsesservice", Benefits),
    anywhere("dagpenge", Benefits),
    anywhere("førtidspension", Benefits),
    anywhere("boligstøtte", Benefits),
    anywhere("boligsikring", Benefits),
    anywhere("akasse", Benefits),
    // Treatment.
    anywhere("behandling", Treatment).unless(&[
        "sagsbehandling",
        "databehandling",
        "tandbehandling",
        "klagebehandling",
        "ansøgningsbehandling",
        "skadebehandling",
        "hårbehandling",
        "efterbehandling",
        "forbehandling",
        "viderebehandling",
        "genbehandling",
    ]),
    start("terap", Treatment),
    anywhere("afgiftning", Treatment),
    anywhere("detox", Treatment),
    start("rehab", Treatment),
    anywhere("treatment", Treatment),
    start("therap", Treatment),
    // Help organisations whose name tells what they help with.
    anywhere("lænkeambulator", HelpOrganisation),
    anywhere("blåkors", HelpOrganisation),
    anywhere("alkolinj", HelpOrganisation),
    anywhere("livslini", HelpOrganisation),
    anywhere("livslinj", HelpOrganisation),
    anywhere("retshjælp", HelpOrganisation),
    anywhere("mødrehjælp", HelpOrganisation),
    anywhere("gadejurist", HelpOrganisation),
    anywhere("stofrådgivning", HelpOrganisation),
    anywhere("exitfond", HelpOrganisation),
    anywhere("exitprogram", HelpOrganisation),
];

/// (word, endings, category): the word itself or with one of the endings only.
const WORDS: &[(&str, &[&str], Category)] = &[
    ("hash", &["", "en", "s", "ish"], SubstanceAbuse),
    ("stof", &["", "fer", "ferne", "fet"], SubstanceAbuse),
    ("benzo", &["", "er", "s"], SubstanceAbuse),
    ("drug", &["", "s"], SubstanceAbuse),
    ("abuse", &["", "d", "r", "rs"], SubstanceAbuse),
    ("øl", &["", "let", "len", "lene", "ler"], Alcohol),
    ("fadøl", &["", "en", "ler"], Alcohol),
    ("bajer", &["", "e", "en", "ne"], Alcohol),
    ("vin", &["", "en", "e", "ene"], Alcohol),
    ("rødvin", &["", "en"], Alcohol),
    ("hvidvin", &["", "en"], Alcohol),
    ("beer", &["", "s"], Alcohol),
    ("wine", &["", "s"], Alcohol),
    ("psykisk", &["", "e"], MentalHealth),
    ("fogede", &["n", "ns"], Debt),
    ("rki", &[""], Debt),
    ("behandler", &["en", "e", "ne", "ens"], Treatment),
    ("benefit", &["", "s"], Benefits),
    ("welfare", &[""], Benefits),
    ("lænke", &["n", "ns"], HelpOrganisation),
    ("kabs", &[""], HelpOrganisation),
    ("novavi", &[""], HelpOrganisation),
    ("headspace", &[""], HelpOrganisation),
    ("samaritans", &[""], HelpOrganisation),
];

/// Organisations whose names are ordinary words in lower case: matched as written.
const CASED: &[(&str, Category)] = &[("AA", HelpOrganisation), ("NA", HelpOrganisation), ("SIND", HelpOrganisation)];

/// Multi-word phrases, matched on consecutive words.
const PHRASES: &[(&[&str], Category)] = &[
    (&["job", "centre"], JobCentre),
    (&["job", "center"], JobCentre),
    (&["mental", "health"], MentalHealth),
    (&["substance", "abuse"], SubstanceAbuse),
    (&["payday", "loan"], Debt),
    (&["payday", "loans"], Debt),
    (&["social", "security"], Benefits),
    (&["udbetaling", "danmark"], Benefits),
    (&["a", "kasse"], Benefits),
    (&["a", "kassen"], Benefits),
    (&["a", "kassens"], Benefits),
    (&["blå", "kors"], HelpOrganisation),
    (&["exit", "fonden"], HelpOrganisation),
    (&["exit", "programmet"], HelpOrganisation),
    (&["u", "turn"], HelpOrganisation),
];

/// A word of the text: where it is, as written, and lower-cased for matching.
struct Word<'a> {
    start: usize,
    end: usize,
    raw: &'a str,
    lower: String,
}

fn words(text: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        match (start, c.is_alphanumeric()) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                let raw = &text[s..i];
                out.push(Word { start: s, end: i, raw, lower: raw.nfc().collect::<String>().to_lowercase() });
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Where `stem` counts in `word`, if anywhere.
fn stem_hit(word: &str, stem: &Stem) -> Option<usize> {
    word.match_indices(stem.stem).map(|(at, _)| at).find(|&at| {
        (stem.place == Place::Anywhere || at == 0) && !inside_innocent(word, at, at + stem.stem.len(), stem.unless)
    })
}

/// Whether `word[from..to]` lies inside one of the innocent patterns.
fn inside_innocent(word: &str, from: usize, to: usize, innocent: &[&str]) -> bool {
    innocent.iter().any(|pattern| {
        let (pattern, at_end) = match pattern.strip_suffix('$') {
            Some(p) => (p, true),
            None => (*pattern, false),
        };
        word.match_indices(pattern)
            .any(|(s, p)| s <= from && to <= s + p.len() && (!at_end || s + p.len() == word.len()))
    })
}

/// The category of the stem that matches `word` earliest (the longest one there).
fn stem_category(word: &str) -> Option<Category> {
    STEMS
        .iter()
        .filter_map(|stem| stem_hit(word, stem).map(|at| (at, std::cmp::Reverse(stem.stem.len()), stem.category)))
        .min_by_key(|(at, len, _)| (*at, *len))
        .map(|(_, _, category)| category)
}

fn word_category(word: &str) -> Option<Category> {
    WORDS
        .iter()
        .find(|(base, endings, _)| word.strip_prefix(base).is_some_and(|rest| endings.contains(&rest)))
        .map(|(_, _, category)| *category)
}

/// "Exit" names the organisation when capitalised in the middle of a sentence and not
/// followed by a number ("Exit 12" is a motorway exit).
fn is_exit_organisation(text: &str, words: &[Word<'_>], i: usize) -> bool {
    let Some(w) = words.get(i) else { return false };
    if w.raw != "Exit" && w.raw != "EXIT" {
        return false;
    }
    let Some(prev) = i.checked_sub(1).and_then(|p| words.get(p)) else { return false };
    let gap = text.get(prev.end..w.start).unwrap_or(".");
    let mid_sentence = !gap.contains(['.', '!', '?', ':', '\n']);
    let before_number = words.get(i + 1).is_some_and(|n| {
        n.raw.starts_with(|c: char| c.is_ascii_digit())
            && !text.get(w.end..n.start).unwrap_or(".").contains(['.', '\n'])
    });
    mid_sentence && !before_number
}

/// The sensitive words in `text`, in order of appearance (each word once).
pub fn lint(text: &str) -> Vec<Flag> {
    let words = words(text);
    let mut flags: Vec<Flag> = Vec::new();
    let mut push = |word: String, category: Category| {
        if !flags.iter().any(|f| f.word == word) {
            flags.push(Flag { word, category });
        }
    };
    for (i, w) in words.iter().enumerate() {
        if let Some(category) = stem_category(&w.lower).or_else(|| word_category(&w.lower)) {
            push(w.lower.clone(), category);
            continue;
        }
        let mut in_phrase = false;
        for (phrase, category) in PHRASES {
            let Some(run) = words.get(i..i + phrase.len()) else { continue };
            if phrase.iter().zip(run).all(|(p, w)| *p == w.lower) {
                let last = &run[run.len() - 1];
                let written = text.get(w.start..last.end).unwrap_or_default();
                push(written.nfc().collect::<String>().to_lowercase(), *category);
                in_phrase = true;
            }
        }
        let named = CASED.iter().find(|(name, _)| *name == w.raw).map(|(_, c)| *c);
        if let Some(category) = named.or_else(|| is_exit_organisation(text, &words, i).then_some(HelpOrganisation)) {
            if !in_phrase {
                push(w.lower.clone(), category);
            }
        }
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flagged(text: &str) -> Vec<&'static str> {
        lint(text).into_iter().map(|f| f.category.as_str()).collect()
    }

    #[test]
    fn flags_sensitive_words_with_inflections_and_compounds() {
        assert_eq!(flagged("Husk mødet på Misbrugscentret i morgen"), vec!["substance_abuse"]);
        assert_eq!(flagged("Samtale om GÆLDEN"), vec!["debt"]);
        assert_eq!(flagged("Mødet i jobcentret kl. 10"), vec!["job_centre"]);
        assert_eq!(flagged("Mødet på Jobcenter Odense"), vec!["job_centre"]);
        assert_eq!(flagged("Din behandlingstid"), vec!["treatment"]);
        assert_eq!(flagged("Tid hos psykiatrisk skadestue"), vec!["mental_health"]);
        assert_eq!(flagged("Du har fået en sanktion"), vec!["sanctions"]);
        assert_eq!(flagged("Vi taler om alkoholen"), vec!["alcohol"]);
        assert_eq!(flagged("Ingen øl i dag"), vec!["alcohol"]);
        assert_eq!(flagged("Your appointment at the job centre"), vec!["job_centre"]);
        assert_eq!(flagged("about your DEBTS and drugs"), vec!["debt", "substance_abuse"]);
        assert_eq!(flagged("mental health team"), vec!["mental_health"]);
        assert_eq!(flagged("Alcohol-free"), vec!["alcohol"]);
    }

    #[test]
    fn leaves_innocent_words_alone() {
        for ok in [
            "Hej Ole. Husk vores aftale tirsdag den 30. marts kl. 10.00, Borgercaféen. Hilsen Mette, tlf. 20304050",
            "Vi ses på biblioteket",
            "Vinter",
            "Vinduet",
            "Stofskifte",
            "Øllingegård",
            "drugstore",
            "Hashtag",
            "Kommunen",
            "Tandlæge",
            "Beerthe",
            "debut",
        ] {
            assert!(lint(ok).is_empty(), "{ok}: {:?}", lint(ok));
        }
    }
}
