//! Danish name order against CLDR's Danish collation.
//!
//! The expected orders follow CLDR common/collation/da.xml, collation "standard"
//! (caseFirst="upper"; &D<<đ<<<Đ<<ð<<<Ð &t<<<þ/h &Y<<ü<<<Ü<<ű<<<Ű
//! &[before 1]ǀ<æ<<<Æ<<ä<<<Ä<ø<<<Ø<<ö<<<Ö<<ő<<<Ő<<œ<<<Œ<å<<<Å<<<aa<<<Aa<<<AA) over the
//! root order (DUCET). They were cross-checked once with ICU4J 75.1's Collator for
//! locale "da", the implementation Android's own lists use; ICU is not a dependency.

use brobygger_core::text::danish_sort_key;

/// Names in Danish order. Reading guide: accents sort with the base letter and decide
/// only ties (Celina after Çelik, Éva after eva); ü is y (Bülow between Bygholm and
/// Bylund, Müller after Mustafa); æ ø å follow z, ä with æ, ö with ø; "aa" is å, one
/// case-step after it (Åse, AASE, Aase, åse, aase); þ is "th", ß "ss"; capitals first.
const NAMES: &[&str] = &[
    "3. sal",
    "Abdi",
    "Adam",
    "Ali",
    "Ali2",
    "Anna",
    "Ánna",
    "Anne Marie",
    "Anne-Marie",
    "Annemarie",
    "Bo",
    "Bygholm",
    "Bülow",
    "Bylund",
    "Çelik",
    "Celina",
    "Christensen",
    "Dora",
    "Ðóra",
    "Đorđe",
    "Dorthe",
    "Ebbe",
    "Émile",
    "Esben",
    "EVA",
    "Eva",
    "eva",
    "Éva",
    "Ève",
    "Frederik",
    "Gustav",
    "Gyda",
    "Günther",
    "Hans",
    "Håkon",
    "Ida",
    "Ilse",
    "Îlse",
    "Jens",
    "Jorgen",
    "Jørgen",
    "Jörgen",
    "Karl",
    "Kåre",
    "Lars",
    "Lukas",
    "Łukasz",
    "Mads",
    "Mustafa",
    "Müller",
    "Myllerup",
    "Mølle",
    "Niels",
    "Nunez",
    "Núñez",
    "Ole",
    "ole",
    "Olsen",
    "Steffen",
    "Strasse",
    "Straße",
    "Søren",
    "Thomas",
    "Thor",
    "Þór",
    "Tom",
    "Ulla",
    "Yasmin",
    "Ümit",
    "Zahra",
    "Zenia",
    "Zoe",
    "Zoë",
    "Æhmed",
    "Ähmed",
    "Ærlig",
    "Ærtebjerg",
    "Ærø",
    "Ødis",
    "Øllgaard",
    "Ørjan",
    "Örjan",
    "Åge",
    "Aage",
    "Åkesson",
    "Aakjær",
    "Åse",
    "AASE",
    "Aase",
    "åse",
    "aase",
];

/// Accents in DUCET's order, ł as an accented l, ß/þ as expansions, case.
const LETTERS: &[&str] = &[
    "Àa", "Ăa", "Âa", "Ǎa", "Ãa", "Ȧa", "Ąa", "Āa", "AB", "Ab", "aB", "ab", "Áb", "Az", "Ca", "Ća", "Ĉa", "Ča", "Ċa",
    "Ça", "La", "Ła", "Łb", "Lc", "lz", "Ma", "ssa", "ßa", "ssb", "tha", "þa", "thb", "Zz", "Æa", "Äa", "Aa", "Åa",
];

fn sorted(names: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    // Start from a scrambled order so the test cannot pass by leaving the input alone.
    v.reverse();
    v.rotate_left(names.len() / 3);
    v.sort_by_cached_key(|n| danish_sort_key(n));
    v
}

#[test]
fn names_sort_in_danish_order() {
    assert_eq!(sorted(NAMES), NAMES);
}

#[test]
fn accents_case_and_expansions_in_cldr_order() {
    assert_eq!(sorted(LETTERS), LETTERS);
}

#[test]
fn the_old_order_is_fixed() {
    // Before: "Aase, Eva, Ole, Zenia, Émile, Ærø, Ødis, Åse".
    let want = ["Émile", "Eva", "Ole", "Zenia", "Ærø", "Ødis", "Åse", "Aase"];
    assert_eq!(sorted(&["Aase", "Eva", "Ole", "Zenia", "Émile", "Ærø", "Ødis", "Åse"]), want);
}

#[test]
fn every_pair_is_strictly_ordered() {
    for list in [NAMES, LETTERS] {
        for w in list.windows(2) {
            assert!(danish_sort_key(w[0]) < danish_sort_key(w[1]), "{} < {}", w[0], w[1]);
        }
    }
}

#[test]
fn composed_and_decomposed_names_get_one_key() {
    assert_eq!(danish_sort_key("Åse"), danish_sort_key("A\u{30a}se"));
    assert_eq!(danish_sort_key("Émile"), danish_sort_key("E\u{301}mile"));
    assert_eq!(danish_sort_key("  Ole  "), danish_sort_key("Ole"));
}
