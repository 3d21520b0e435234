//! Writes the hand-made seed inputs into `corpus/<target>/seed-*`, the starting points the
//! fuzzer grows the corpus from: `cargo test --no-default-features --test seeds -- --ignored`.
//! Not part of the normal run: the committed corpus already holds them (or what
//! `cargo fuzz cmin` kept of them).

use brobygger_core::crypto::envelope::{self, Aad};
use brobygger_core::sms::template::default_template;
use brobygger_core::sms::template::TemplateKind;
use brobygger_core::sms::SmsLanguage;
use brobygger_fuzz::envelope::{fixed_key, FIXED_AAD};
use std::path::Path;

fn write(target: &str, name: &str, data: &[u8]) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus").join(target);
    std::fs::create_dir_all(&dir).expect("corpus folder");
    std::fs::write(dir.join(format!("seed-{name}")), data).expect("seed file");
}

fn texts(target: &str, items: &[(&str, &str)]) {
    for (name, text) in items {
        write(target, name, text.as_bytes());
    }
}

#[test]
#[ignore = "writes the seed corpus"]
fn write_seed_corpus() {
    // envelope: envelopes that open (mode 0), bad headers, and round trips (mode 1).
    let key = fixed_key();
    let aad = Aad::new(FIXED_AAD.0, FIXED_AAD.1, FIXED_AAD.2);
    for (i, plain) in [&b""[..], b"hej", b"Talte om boligen og n\xc3\xa6ste skridt"].iter().enumerate() {
        let sealed = envelope::seal(&key, i as u64 * 7, aad, plain).expect("seal");
        write("envelope", &format!("opens-{i}"), &[&[0u8][..], &sealed].concat());
    }
    write("envelope", "short", &[0, 1, 0, 0, 0, 0, 0, 0, 0, 3]);
    write("envelope", "version-2", &[[0u8, 2].as_slice(), &[0u8; 40]].concat());
    let mut trip = vec![1u8];
    trip.extend_from_slice(&7u64.to_le_bytes());
    trip.extend_from_slice(&[0, 5, 0, 0, 0, 0x80]);
    for part in ["notes", "0123456789abcdef", "body"] {
        trip.push(part.len() as u8);
        trip.extend_from_slice(part.as_bytes());
    }
    trip.extend_from_slice("Hej Ole, vi ses tirsdag".as_bytes());
    write("envelope", "round-trip", &trip);

    texts(
        "phone",
        &[
            ("dk-spaced", "20 30 40 50"),
            ("dk-plus", "+45 2030 4050"),
            ("dk-00", "0045 20304050"),
            ("dk-brackets", "(+45) 20-30-40-50"),
            ("dk-fixed", "33 66 33 66"),
            ("dk-company", "70 12 34 56"),
            ("se", "+46 70 123 45 67"),
            ("de", "0049 151 23456789"),
            ("fo", "+298 21 12 34"),
            ("us", "+1 (202) 555-0123"),
            ("short", "1234"),
            ("letters", "2030x4050"),
            ("nbsp", "20\u{a0}30\u{a0}40\u{a0}50"),
            ("slashes", "20/30/40/50"),
        ],
    );

    let mut templates: Vec<(String, String)> = Vec::new();
    for (lang, l) in [("da", SmsLanguage::Da), ("en", SmsLanguage::En)] {
        for (kind, k) in [("reminder", TemplateKind::Reminder), ("confirmation", TemplateKind::Confirmation)] {
            templates.push((format!("{lang}-{kind}"), default_template(l, k).to_string()));
        }
    }
    for (name, t) in [
        ("unknown", "Hej {navn}"),
        ("unclosed", "Hej {first_name"),
        ("stray-close", "Hej first_name}"),
        ("nested", "{{first_name}}"),
        ("empty-slot", "Hej {}"),
        ("control", "Hej\u{7}{first_name}"),
        ("spaces", "   {time}   "),
    ] {
        templates.push((name.to_string(), t.to_string()));
    }
    templates.push(("too-long".into(), "{date} ".repeat(60)));
    for (name, t) in &templates {
        write("template", name, t.as_bytes());
    }

    let shown = brobygger_core::vault::recovery::format(&key);
    write("recovery_key", "shown", shown.as_bytes());
    write("recovery_key", "sloppy", shown.to_lowercase().replace('-', " ").as_bytes());
    write("recovery_key", "typo", format!("1{}", &shown[1..]).as_bytes());
    write("recovery_key", "short", b"ABCD-EFGH");
    write("recovery_key", "bytes", &[0xA5; 32]);

    texts(
        "sms_text",
        &[
            ("da-reminder", "Hej Ole. Husk vores aftale tirsdag den 30. marts kl. 10.00, Borgercaféen."),
            ("typography", "“Husk” din aftale – kl. 10.00… ‘ok’\u{a0}"),
            ("extension", "Pris: 20€ [ca.] {ok} ~ | ^ \\"),
            ("emoji", "Hej 😀 👍🏽 🇩🇰 👩\u{200d}👩\u{200d}👧 ❤\u{fe0f} 1\u{fe0f}\u{20e3} e\u{301}\r\n"),
            ("lint", "Husk mødet på Jobcentret om din gæld og behandling, ring til Blå Kors eller AA"),
            ("exit", "Vi ses ved Exit 12. Tak for i dag, Exit-programmet"),
        ],
    );
    write("sms_text", "gsm-boundary", format!("{}€{}", "a".repeat(152), "a".repeat(152)).as_bytes());
    write("sms_text", "ucs2-boundary", format!("{}😀{}", "ő".repeat(66), "ő".repeat(66)).as_bytes());

    // database_file: change lists (see database_file.rs).
    write("database_file", "unchanged", b"");
    write("database_file", "header-flip", &[2, 18, 0, 0, 0x01]); // the write version byte
    write("database_file", "page-size", &[0, 16, 0, 0, 1, 0x02, 0x00]);
    write("database_file", "truncate-half", &[1, 0, 0x80, 0]);
    write("database_file", "copy-page", &[3, 0, 0x10, 0, 0, 0x20, 0, 63]);
    write("database_file", "schema-cookie", &[0, 40, 0, 0, 3, 0, 0, 0, 99]);
    write("database_file", "user-version", &[0, 60, 0, 0, 3, 0, 0, 0, 1]);
}

/// The backup target's seeds (see `src/backup_file.rs` for the input's layout), apart from
/// the others so that writing them leaves the other corpora as they are:
/// `cargo test --no-default-features --test seeds write_backup_file_seeds -- --ignored`.
#[test]
#[ignore = "writes the seed corpus"]
fn write_backup_file_seeds() {
    use brobygger_core::backup::stream::{CHUNK_LEN, HEADER_LEN, TAG_LEN};
    use brobygger_fuzz::backup_file::{template, VARIANTS};
    let t = template();
    let pos = |p: usize| -> [u8; 3] { [p as u8, (p >> 8) as u8, (p >> 16) as u8] };
    let on_disk = |name: &str, changes: &[&[u8]]| {
        write("backup_file", &format!("disk-{name}"), &[&[0u8][..], &changes.concat()].concat())
    };
    let last = t.file.len() - 1;
    let boundary = HEADER_LEN + CHUNK_LEN + TAG_LEN;
    on_disk("unchanged", &[]);
    on_disk("magic", &[&[2], &pos(0), &[0x01]]);
    on_disk("version-2", &[&[0], &pos(16), &[0, 2]]);
    on_disk("version-0", &[&[0], &pos(16), &[0, 0]]);
    on_disk("salt", &[&[2], &pos(20), &[0x80]]);
    on_disk("sealed-key", &[&[2], &pos(60), &[0x01]]);
    on_disk("check", &[&[2], &pos(100), &[0x01]]);
    on_disk("chunk-0", &[&[2], &pos(200), &[0x04]]);
    on_disk("last-tag", &[&[2], &pos(last), &[0x01]]);
    on_disk("header-only", &[&[1], &pos(HEADER_LEN)]);
    on_disk("short-header", &[&[1], &pos(40)]);
    on_disk("at-chunk-boundary", &[&[1], &pos(boundary)]);
    on_disk("mid-chunk", &[&[1], &pos(1000)]);
    on_disk("chunk-copied", &[&[3], &pos(HEADER_LEN), &pos(boundary), &[63]]);

    let payload = |name: &str, parts: &[&[u8]]| {
        write("backup_file", &format!("payload-{name}"), &[&[1u8][..], &parts.concat()].concat())
    };
    for (i, (name, _)) in VARIANTS.iter().enumerate() {
        payload(&name.replace(' ', "-"), &[&[i as u8, 0, 0, 0]]);
    }
    // One edit of each manifest field (and a new one), with boundary values, strings, removal.
    for field in 0u8..12 {
        for (op, v) in [(3u8, 5u64), (4, 0x41414141_41414105), (8, 0), (0, 1 << 40)] {
            payload(&format!("field-{field}-op-{op}"), &[&[0, 0, 1, field, op], &v.to_le_bytes(), &[0]]);
        }
    }
    payload("prefix-huge", &[&[0, 1], &[0xff; 4], &[0, 0]]);
    payload("prefix-zero", &[&[0, 1], &[0; 4], &[0, 0]]);
    payload("prefix-past-end", &[&[0, 1], &(t.plaintext.len() as u32).to_le_bytes(), &[0, 0]]);
    payload("db-len-kept", &[&[0, 2, 0, 0], &[1], &pos(1000)]);
    payload("json-flip", &[&[0, 0, 0, 5, 2], &pos(3), &[0x20]]);
    payload("json-truncated", &[&[0, 0, 0, 4, 1], &pos(10)]);
    payload("db-write-version", &[&[0, 0, 0, 0, 2], &pos(18), &[0x01]]);
    payload("db-page-size", &[&[0, 0, 0, 0, 0], &pos(16), &[1, 0x02, 0x00]]);
    payload("db-user-version", &[&[0, 0, 0, 0, 0], &pos(60), &[3, 0, 0, 0, 99]]);
    payload("db-truncated", &[&[0, 0, 0, 0, 1], &pos(t.snapshots[0].len() / 2)]);
    payload("db-empty", &[&[0, 0, 0, 0, 1], &pos(0)]);
    payload("trigger-page-copied", &[&[1, 0, 0, 0, 3], &pos(4096), &pos(8192), &[63]]);
}
