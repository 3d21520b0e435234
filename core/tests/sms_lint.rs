//! The discretion lint on a table of Danish and English texts: sensitive words in
//! compounds and inflections, help organisations, and look-alikes that must pass.
//! Each case names the flagged words (lower-cased, as written) and their category codes.

use brobygger_core::sms::lint::{lint, Category};

/// (text, expected flags as (word, category code)).
const CASES: &[(&str, &[(&str, &str)])] = &[
    // Psychiatry caught anywhere in a compound.
    ("Mødet i Distriktspsykiatrien kl. 10", &[("distriktspsykiatrien", "mental_health")]),
    ("Husk Socialpsykiatrien i morgen", &[("socialpsykiatrien", "mental_health")]),
    ("Tid i Børne- og ungdomspsykiatrien", &[("ungdomspsykiatrien", "mental_health")]),
    ("Retspsykiatrisk afdeling", &[("retspsykiatrisk", "mental_health")]),
    ("Tid hos psykologen", &[("psykologen", "mental_health")]),
    ("Samtale med skolepsykolog", &[("skolepsykolog", "mental_health")]),
    ("En psykologisk samtale", &[("psykologisk", "mental_health")]),
    ("Psykoterapi på tirsdag", &[("psykoterapi", "mental_health")]),
    ("Angstforeningen holder møde", &[("angstforeningen", "mental_health")]),
    ("Depressionsforeningen", &[("depressionsforeningen", "mental_health")]),
    ("Hjælp til psykisk sårbare", &[("psykisk", "mental_health")]),
    ("Your psychiatrist appointment", &[("psychiatrist", "mental_health")]),
    ("mental health team", &[("mental health", "mental_health")]),
    // Alcohol.
    ("Tid i alkoholbehandlingen", &[("alkoholbehandlingen", "alcohol")]),
    ("Vi taler om alkoholen", &[("alkoholen", "alcohol")]),
    ("Ingen øl i dag", &[("øl", "alcohol")]),
    ("Husk en flaske rødvin", &[("rødvin", "alcohol")]),
    ("Han var fulddrukken", &[("fulddrukken", "alcohol")]),
    ("Alcohol-free", &[("alcohol", "alcohol")]),
    ("Anonyme Alkoholikere mødes", &[("alkoholikere", "alcohol")]),
    // Substance abuse.
    ("Husk mødet på Misbrugscentret i morgen", &[("misbrugscentret", "substance_abuse")]),
    ("Stofmisbrugsbehandling", &[("stofmisbrugsbehandling", "substance_abuse")]),
    ("Anonyme Narkomaner", &[("narkomaner", "substance_abuse")]),
    ("Din metadonudlevering", &[("metadonudlevering", "substance_abuse")]),
    ("Stofferne er væk", &[("stofferne", "substance_abuse")]),
    ("Ingen hash", &[("hash", "substance_abuse")]),
    ("Fixerummet på Halmtorvet", &[("fixerummet", "substance_abuse")]),
    ("Center for Ludomani", &[("ludomani", "substance_abuse")]),
    ("about your DEBTS and drugs", &[("debts", "debt"), ("drugs", "substance_abuse")]),
    ("She is a heroin addict", &[("heroin", "substance_abuse"), ("addict", "substance_abuse")]),
    // Debt.
    ("Samtale om GÆLDEN", &[("gælden", "debt")]),
    ("Gældsrådgivningen hjælper", &[("gældsrådgivningen", "debt")]),
    ("Din skattegæld", &[("skattegæld", "debt")]),
    ("Brev fra inkassofirmaet", &[("inkassofirmaet", "debt")]),
    ("Mødet i fogedretten", &[("fogedretten", "debt")]),
    ("Fogeden kommer", &[("fogeden", "debt")]),
    ("Et kviklån", &[("kviklån", "debt")]),
    // Sanctions, job centre, benefits.
    ("Du har fået en sanktion", &[("sanktion", "sanctions")]),
    ("Mødet i jobcentret kl. 10", &[("jobcentret", "job_centre")]),
    ("Mødet på Jobcenter Odense", &[("jobcenter", "job_centre")]),
    ("Your appointment at the job centre", &[("job centre", "job_centre")]),
    ("Dit ressourceforløb", &[("ressourceforløb", "job_centre")]),
    ("Om dine sygedagpenge", &[("sygedagpenge", "benefits")]),
    ("Ansøg om kontanthjælp", &[("kontanthjælp", "benefits")]),
    ("Ydelsescentret har ringet", &[("ydelsescentret", "benefits")]),
    ("Brev fra Udbetaling Danmark", &[("udbetaling danmark", "benefits")]),
    ("Husk boligstøtten", &[("boligstøtten", "benefits")]),
    ("Ring til din a-kasse", &[("a-kasse", "benefits")]),
    ("Førtidspensionen", &[("førtidspensionen", "benefits")]),
    // Treatment.
    ("Din behandlingstid", &[("behandlingstid", "treatment")]),
    ("Spørg din behandleren", &[("behandleren", "treatment")]),
    ("Tid hos terapeuten", &[("terapeuten", "treatment")]),
    ("Detox next week", &[("detox", "treatment")]),
    ("Your therapist", &[("therapist", "treatment")]),
    // Help organisations.
    ("Mødet hos Lænken", &[("lænken", "help_organisation")]),
    ("Kaffe i Blå Kors", &[("blå kors", "help_organisation")]),
    ("Vi ses hos KABS", &[("kabs", "help_organisation")]),
    ("Mødet med AA i aften", &[("aa", "help_organisation")]),
    ("Ring til Livslinien", &[("livslinien", "help_organisation")]),
    ("Den Sociale Retshjælp", &[("retshjælp", "help_organisation")]),
    ("Mødet med Exitfonden", &[("exitfonden", "help_organisation")]),
    ("Snak med Exit om det", &[("exit", "help_organisation")]),
    ("Aftale med Exit-programmet", &[("exit-programmet", "help_organisation")]),
    ("Ring til SIND", &[("sind", "help_organisation")]),
    ("Mødrehjælpen har tid", &[("mødrehjælpen", "help_organisation")]),
    ("Gadejuristen kommer", &[("gadejuristen", "help_organisation")]),
    // Look-alikes that must pass.
    ("Stofskifte", &[]),
    ("Gardinstoffet", &[]),
    ("Øllingegård", &[]),
    ("Mølleparken", &[]),
    ("Vinduet", &[]),
    ("Vinter", &[]),
    ("drugstore", &[]),
    ("Hashtag", &[]),
    ("debut", &[]),
    ("Beerthe", &[]),
    ("Reglerne gælder fra i dag", &[]),
    ("Den gældende aftale", &[]),
    ("Det skal gælde for alle", &[]),
    ("Vi behandler din sag", &[]),
    ("Din sagsbehandler ringer", &[]),
    ("Sagsbehandlingstiden er kort", &[]),
    ("Tandbehandling kl. 9", &[]),
    ("Tid hos fysioterapeuten", &[]),
    ("Ergoterapi i hallen", &[]),
    ("Physiotherapy at noon", &[]),
    ("Du skal i narkose", &[]),
    ("Han var ved at drukne", &[]),
    ("Ældresagen holder møde", &[]),
    ("Borgerservice har åbent", &[]),
    ("Take the exit by the station", &[]),
    ("Exit is on the left", &[]),
    ("Drive to Exit 12", &[]),
    ("Han har i sinde at komme", &[]),
    ("Aase og Åse kommer", &[]),
    ("Falkoner Allé", &[]),
    ("Opera heroine", &[]),
    ("Aktivering af MitID", &[]),
    ("Pension og opsparing", &[]),
    ("Vi rykker mødet", &[]),
    ("Hej Ole. Husk vores aftale tirsdag den 30. marts kl. 10.00, Borgercaféen. Hilsen Mette, tlf. 20304050", &[]),
    ("Hi Ole. A reminder of our appointment on Tuesday 30 March at 10:00. Best wishes, Mette", &[]),
];

#[test]
fn lint_table() {
    assert!(CASES.len() >= 60);
    let mut failures = Vec::new();
    for (text, expected) in CASES {
        let got: Vec<(String, &str)> = lint(text).into_iter().map(|f| (f.word, f.category.as_str())).collect();
        let want: Vec<(String, &str)> = expected.iter().map(|(w, c)| (w.to_string(), *c)).collect();
        if got != want {
            failures.push(format!("{text:?}: got {got:?}, want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases:\n{}", failures.len(), CASES.len(), failures.join("\n"));
}

#[test]
fn category_codes_are_stable_snake_case() {
    let all = [
        (Category::SubstanceAbuse, "substance_abuse"),
        (Category::Alcohol, "alcohol"),
        (Category::MentalHealth, "mental_health"),
        (Category::Debt, "debt"),
        (Category::Sanctions, "sanctions"),
        (Category::JobCentre, "job_centre"),
        (Category::Treatment, "treatment"),
        (Category::Benefits, "benefits"),
        (Category::HelpOrganisation, "help_organisation"),
    ];
    for (category, code) in all {
        assert_eq!(category.as_str(), code);
        assert_eq!(serde_json::to_string(&category).unwrap(), format!("\"{code}\""));
    }
}

/// A flagged word is found in the text as written (lower-cased), so the worker sees it.
#[test]
fn flagged_words_appear_in_the_text() {
    for (text, _) in CASES {
        let lower = text.to_lowercase();
        for flag in lint(text) {
            assert!(lower.contains(&flag.word), "{text:?}: {:?}", flag.word);
        }
    }
}
