//! Danish public holidays for any year, moveable feasts included.
//!
//! Official (helligdage): New Year's Day, Maundy Thursday, Good Friday, Easter Sunday and
//! Monday, Ascension Day, Whit Sunday and Monday, Christmas Day, Boxing Day, and Great
//! Prayer Day (the fourth Friday after Easter) up to 2023 only: it was abolished from 2024.
//! Customary closing days (municipal offices and most drop-in centres close): Constitution
//! Day (5 June), Christmas Eve and New Year's Eve; these are listed with `official = false`.

use chrono::{Duration, NaiveDate};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name_da: &'static str,
    pub name_en: &'static str,
    pub official: bool,
}

/// Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm).
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
}

/// All holidays of `year`, in date order. Empty for years chrono cannot represent.
pub fn holidays(year: i32) -> Vec<Holiday> {
    let (Some(easter), Some(jan1)) = (easter_sunday(year), NaiveDate::from_ymd_opt(year, 1, 1)) else {
        return Vec::new();
    };
    let fixed = |m: u32, d: u32| NaiveDate::from_ymd_opt(year, m, d).unwrap_or(jan1);
    let e = |days: i64| easter + Duration::days(days);
    let h = |date, name_da, name_en, official| Holiday { date, name_da, name_en, official };
    let mut out = vec![
        h(jan1, "Nytårsdag", "New Year's Day", true),
        h(e(-3), "Skærtorsdag", "Maundy Thursday", true),
        h(e(-2), "Langfredag", "Good Friday", true),
        h(easter, "Påskedag", "Easter Sunday", true),
        h(e(1), "2. påskedag", "Easter Monday", true),
        h(e(39), "Kristi himmelfartsdag", "Ascension Day", true),
        h(e(49), "Pinsedag", "Whit Sunday", true),
        h(e(50), "2. pinsedag", "Whit Monday", true),
        h(fixed(6, 5), "Grundlovsdag", "Constitution Day", false),
        h(fixed(12, 24), "Juleaftensdag", "Christmas Eve", false),
        h(fixed(12, 25), "Juledag", "Christmas Day", true),
        h(fixed(12, 26), "2. juledag", "Boxing Day", true),
        h(fixed(12, 31), "Nytårsaftensdag", "New Year's Eve", false),
    ];
    if year <= 2023 {
        out.push(h(e(26), "Store bededag", "Great Prayer Day", true));
    }
    out.sort_by_key(|h| h.date);
    out
}

/// The holiday on `date`, if any.
pub fn holiday_on(date: NaiveDate) -> Option<Holiday> {
    use chrono::Datelike;
    holidays(date.year()).into_iter().find(|h| h.date == date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn easter_dates() {
        for (y, m, day) in [
            (2019, 4, 21),
            (2023, 4, 9),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2038, 4, 25),
            (2285, 3, 22),
        ] {
            assert_eq!(easter_sunday(y), Some(d(y, m, day)), "{y}");
        }
    }

    #[test]
    fn moveable_feasts_2026() {
        let names: Vec<(NaiveDate, &str)> =
            holidays(2026).iter().filter(|h| h.official).map(|h| (h.date, h.name_da)).collect();
        assert_eq!(
            names,
            vec![
                (d(2026, 1, 1), "Nytårsdag"),
                (d(2026, 4, 2), "Skærtorsdag"),
                (d(2026, 4, 3), "Langfredag"),
                (d(2026, 4, 5), "Påskedag"),
                (d(2026, 4, 6), "2. påskedag"),
                (d(2026, 5, 14), "Kristi himmelfartsdag"),
                (d(2026, 5, 24), "Pinsedag"),
                (d(2026, 5, 25), "2. pinsedag"),
                (d(2026, 12, 25), "Juledag"),
                (d(2026, 12, 26), "2. juledag"),
            ]
        );
    }

    #[test]
    fn great_prayer_day_is_abolished_from_2024() {
        assert_eq!(holiday_on(d(2023, 5, 5)).map(|h| h.name_da), Some("Store bededag"));
        assert!(holidays(2024).iter().all(|h| h.name_da != "Store bededag"));
        assert_eq!(holiday_on(d(2024, 4, 26)), None);
    }

    #[test]
    fn customary_days_are_marked() {
        assert_eq!(holiday_on(d(2026, 6, 5)).map(|h| h.official), Some(false));
        assert_eq!(holiday_on(d(2026, 12, 24)).map(|h| h.official), Some(false));
        assert_eq!(holiday_on(d(2026, 3, 31)), None);
    }
}
