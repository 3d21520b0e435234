//! The satisfaction survey from the desktop: forms typed in from paper, and the statements
//! and scale a paper form prints, in the core's words (Danish or English).

use crate::app::{answer, CliError, Ctx, Reply};
use crate::codes::{parser, Code};
use crate::directory::Directory;
use crate::times::{iso_date, parse_date, zone};
use brobygger_ffi::*;
use clap::Subcommand;
use serde_json::json;

#[derive(Subcommand)]
pub enum SurveyCmd {
    /// Record one form filled in on paper: five answers in the statements' order
    Add {
        #[arg(long)]
        venue: String,
        /// 1 (strongly disagree) to 5 (strongly agree), comma-separated; a blank for a
        /// statement not answered (5,,4,5,3)
        #[arg(long, value_name = "A,B,C,D,E", allow_hyphen_values = true)]
        answers: String,
        /// YYYY-MM-DD, the day of the form [default: today at the venue]
        #[arg(long)]
        date: Option<String>,
        /// The language of input errors
        #[arg(long, default_value = "en", value_parser = parser::<Language>())]
        lang: Language,
    },
    /// The five statements and the answer scale, as a paper form prints them (no PIN needed)
    Statements {
        #[arg(long, default_value = "en", value_parser = parser::<Language>())]
        lang: Language,
    },
}

pub fn run(ctx: &Ctx, cmd: SurveyCmd) -> Reply {
    match cmd {
        SurveyCmd::Add { venue, answers, date, lang } => add(ctx, &venue, &answers, date, lang),
        SurveyCmd::Statements { lang } => statements(lang),
    }
}

/// `5,,4,5,3` as the answers of one form. How many there must be and their range are the
/// core's to check, so its words say what is wrong; a value that is not a number at all
/// is passed on out of range, and refused there in the same words.
fn parse_answers(typed: &str) -> Vec<Option<u32>> {
    typed
        .split(',')
        .map(str::trim)
        .map(|a| if a.is_empty() { None } else { Some(a.parse().unwrap_or(u32::MAX)) })
        .collect()
}

fn add(ctx: &Ctx, venue: &str, typed: &str, date: Option<String>, lang: Language) -> Reply {
    let answers = parse_answers(typed);
    let date = date.map(|s| parse_date(&s, "--date")).transpose()?;
    let vault = ctx.unlocked()?;
    let d = Directory::new(&vault);
    let venue = d.venue(venue, "--venue")?;
    // The day the core would take (today at the venue), named here so the answer can show it;
    // an unknown venue is left to the core, which says so.
    let date = date.or_else(|| {
        d.venue_zone(&venue)
            .map(|z| LocalDate(chrono::DateTime::<chrono::Utc>::from(ctx.now()).with_timezone(&zone(&z)).date_naive()))
    });
    vault.add_survey_answer(venue.clone(), date, answers.clone()).map_err(|e| CliError::catalogued(e, lang))?;
    let name = d.venue_name(Some(&venue));
    let date = date.as_ref().map(iso_date);
    let shown: Vec<String> =
        answers.iter().map(|a| a.map(|v| v.to_string()).unwrap_or_else(|| "not answered".into())).collect();
    Ok(answer(
        json!({"venue_id": venue, "venue": name, "date": date, "answers": answers}),
        format!(
            "Form recorded at {}, {}: {}",
            name.as_deref().unwrap_or("the venue"),
            date.as_deref().unwrap_or("today"),
            shown.join(", ")
        ),
    ))
}

fn statements(lang: Language) -> Reply {
    let statements = survey_statements(lang);
    let scale = survey_scale(lang);
    let (title, intro, skip) = (
        survey_text(SurveyText::Title, lang),
        survey_text(SurveyText::Intro, lang),
        survey_text(SurveyText::Skip, lang),
    );
    let mut lines = vec![title.clone(), intro.clone()];
    for (i, s) in statements.iter().enumerate() {
        lines.push(String::new());
        lines.push(format!("{}  ({})", survey_progress(i as u32 + 1, lang), s.code));
        lines.push(format!("  {}", s.text));
    }
    lines.push(String::new());
    lines.extend(scale.iter().map(|step| format!("  {}  {}", step.value, step.label)));
    lines.push(format!("  (blank)  {skip}"));
    Ok(answer(
        json!({
            "language": lang.code(),
            "title": title,
            "intro": intro,
            "statements": statements.iter().enumerate().map(|(i, s)| json!({
                "number": i + 1, "code": s.code, "text": s.text, "short": s.short,
            })).collect::<Vec<_>>(),
            "scale": scale.iter().map(|step| json!({"value": step.value, "label": step.label})).collect::<Vec<_>>(),
            "skip": skip,
        }),
        lines.join("\n"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_read_as_typed_and_blanks_are_not_answered() {
        assert_eq!(parse_answers("5,4,5,5,4"), vec![Some(5), Some(4), Some(5), Some(5), Some(4)]);
        assert_eq!(parse_answers("5,, 4 ,5,3"), vec![Some(5), None, Some(4), Some(5), Some(3)]);
        assert_eq!(parse_answers("5,4"), vec![Some(5), Some(4)], "the count is the core's to refuse");
        // Not numbers, or too big for one: out of range, for the core to refuse.
        assert_eq!(parse_answers("x,-1,99999999999"), vec![Some(u32::MAX); 3]);
        assert_eq!(parse_answers("0,6"), vec![Some(0), Some(6)]);
    }
}
