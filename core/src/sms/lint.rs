//! The discretion lint. A citizen's phone is often shared, so a reminder must never name
//! substance abuse, alcohol, psychiatry, debt, sanctions, the job centre, treatment and the
//! like (SPEC §1). Whole words are matched, with inflections and compounds: a Danish word
//! matches when it starts with one of the stems below ("misbrug" catches "misbruget",
//! "misbrugscenter"), and short words that would otherwise catch innocent ones are matched
//! exactly or with listed endings only.

use serde::Serialize;

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

/// (stem, category): any word starting with the stem.
const STEMS: &[(&str, Category)] = &[
    // Danish
    ("misbrug", SubstanceAbuse),
    ("stofmisbrug", SubstanceAbuse),
    ("narko", SubstanceAbuse),
    ("rusmiddel", SubstanceAbuse),
    ("rusmidl", SubstanceAbuse),
    ("afrusning", SubstanceAbuse),
    ("heroin", SubstanceAbuse),
    ("kokain", SubstanceAbuse),
    ("amfetamin", SubstanceAbuse),
    ("metadon", SubstanceAbuse),
    ("substitution", SubstanceAbuse),
    ("afvænning", SubstanceAbuse),
    ("abstinens", SubstanceAbuse),
    ("alkohol", Alcohol),
    ("druk", Alcohol),
    ("spiritus", Alcohol),
    ("antabus", Alcohol),
    ("psykiat", MentalHealth),
    ("psykos", MentalHealth),
    ("psykot", MentalHealth),
    ("psykolog", MentalHealth),
    ("skizofren", MentalHealth),
    ("depressi", MentalHealth),
    ("selvmord", MentalHealth),
    ("sindslid", MentalHealth),
    ("gæld", Debt),
    ("inkasso", Debt),
    ("fogedret", Debt),
    ("udpantning", Debt),
    ("lønindeholdelse", Debt),
    ("restance", Debt),
    ("tilbagebetaling", Debt),
    ("sanktion", Sanctions),
    ("fradrag", Sanctions),
    ("jobcent", JobCentre),
    ("ydelseskontor", Benefits),
    ("kontanthjælp", Benefits),
    ("sygedagpeng", Benefits),
    ("førtidspension", Benefits),
    ("behandling", Treatment),
    ("behandlings", Treatment),
    ("misbrugscent", Treatment),
    ("afgiftning", Treatment),
    // English
    ("alcohol", Alcohol),
    ("drunk", Alcohol),
    ("addict", SubstanceAbuse),
    ("narcotic", SubstanceAbuse),
    ("cocaine", SubstanceAbuse),
    ("methadone", SubstanceAbuse),
    ("detox", Treatment),
    ("rehab", Treatment),
    ("psychiatr", MentalHealth),
    ("psychos", MentalHealth),
    ("psychot", MentalHealth),
    ("schizophren", MentalHealth),
    ("suicid", MentalHealth),
    ("debt", Debt),
    ("bailiff", Debt),
    ("sanction", Sanctions),
    ("jobcentre", JobCentre),
    ("jobcenter", JobCentre),
    ("treatment", Treatment),
    ("therap", Treatment),
    ("terapi", Treatment),
];

/// (word, endings, category): the word itself or with one of the endings only.
const WORDS: &[(&str, &[&str], Category)] = &[
    ("hash", &["", "en", "s"], SubstanceAbuse),
    ("stof", &["", "fer", "ferne", "fet", "misbrug"], SubstanceAbuse),
    ("øl", &["", "let", "len", "lene"], Alcohol),
    ("vin", &["", "en", "e"], Alcohol),
    ("drug", &["", "s"], SubstanceAbuse),
    ("abuse", &["", "d", "r", "rs"], SubstanceAbuse),
    ("heroin", &[""], SubstanceAbuse),
    ("beer", &["", "s"], Alcohol),
    ("benefit", &["", "s"], Benefits),
];

/// Multi-word phrases, matched on consecutive words.
const PHRASES: &[(&[&str], Category)] = &[
    (&["job", "centre"], JobCentre),
    (&["job", "center"], JobCentre),
    (&["mental", "health"], MentalHealth),
    (&["substance", "abuse"], SubstanceAbuse),
    (&["psykisk", "syg"], MentalHealth),
    (&["psykisk", "sygdom"], MentalHealth),
    (&["social", "security"], Benefits),
];

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(|w| w.to_lowercase()).collect()
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
        if let Some((_, cat)) = STEMS.iter().find(|(stem, _)| w.starts_with(stem)) {
            push(w.clone(), *cat);
            continue;
        }
        if let Some((_, _, cat)) =
            WORDS.iter().find(|(base, endings, _)| w.strip_prefix(base).is_some_and(|rest| endings.contains(&rest)))
        {
            push(w.clone(), *cat);
            continue;
        }
        for (phrase, cat) in PHRASES {
            if words.len() >= i + phrase.len() && phrase.iter().zip(&words[i..]).all(|(p, w)| p == w) {
                push(phrase.join(" "), *cat);
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
