//! The survey's words: the five statements as the citizen reads them (in large type on the
//! worker's phone) and as the report names them, the answer scale, and the few words around
//! them. The statements follow the evaluation's wording (Den Grimme Ælling #40, 2017), turned
//! into first-person sentences a citizen can agree or disagree with.

use super::{pick, Language};
use crate::survey::Statement;

/// A statement as the citizen reads it: a whole sentence.
pub fn survey_statement(s: Statement, lang: Language) -> &'static str {
    let (da, en) = match s {
        Statement::HeldAtVenuePositive => (
            "Det var godt, at samtalen foregik her på værestedet.",
            "It was good that the talk was held here at the drop-in centre.",
        ),
        Statement::SafeAndAtEase => {
            ("Jeg følte mig tryg og tilpas under samtalen.", "I felt safe and at ease during the talk.")
        }
        Statement::ListenedTo => {
            ("Der blev lyttet til mig og mine meninger.", "I was listened to, and so were my views.")
        }
        Statement::AboutWhatMattered => {
            ("Samtalen handlede om det, der er vigtigt for mig.", "The talk was about what matters to me.")
        }
        Statement::RightTime => {
            ("Samtalen kom på det rigtige tidspunkt for mig.", "The talk came at the right time for me.")
        }
    };
    pick(lang, da, en)
}

/// A statement as the report's tables and charts name it.
pub fn survey_statement_short(s: Statement, lang: Language) -> &'static str {
    let (da, en) = match s {
        Statement::HeldAtVenuePositive => {
            ("Positivt, at samtalen foregik på værestedet", "Good that the talk was held at the drop-in centre")
        }
        Statement::SafeAndAtEase => ("Tryg og tilpas under samtalen", "Felt safe and at ease"),
        Statement::ListenedTo => ("Blev lyttet til", "Was listened to"),
        Statement::AboutWhatMattered => ("Samtalen handlede om det vigtige", "The talk was about what mattered"),
        Statement::RightTime => ("Samtalen kom på det rigtige tidspunkt", "The talk came at the right time"),
    };
    pick(lang, da, en)
}

/// The words for an answer 1 (strongly disagree) to 5 (strongly agree); `None` otherwise.
pub fn survey_answer(value: u8, lang: Language) -> Option<&'static str> {
    let (da, en) = match value {
        1 => ("Helt uenig", "Strongly disagree"),
        2 => ("Uenig", "Disagree"),
        3 => ("Hverken enig eller uenig", "Neither agree nor disagree"),
        4 => ("Enig", "Agree"),
        5 => ("Helt enig", "Strongly agree"),
        _ => return None,
    };
    Some(pick(lang, da, en))
}

/// The words of the survey screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SurveyText {
    Title,
    Intro,
    /// The choice not to answer a statement.
    Skip,
    Next,
    Back,
    Send,
    Thanks,
    HandBack,
    /// Under the worker's way out (PIN or biometrics).
    WorkerLeave,
    /// The button that switches to the other language, in that language.
    OtherLanguage,
}

impl SurveyText {
    pub const ALL: [SurveyText; 10] = [
        SurveyText::Title,
        SurveyText::Intro,
        SurveyText::Skip,
        SurveyText::Next,
        SurveyText::Back,
        SurveyText::Send,
        SurveyText::Thanks,
        SurveyText::HandBack,
        SurveyText::WorkerLeave,
        SurveyText::OtherLanguage,
    ];
}

pub fn survey_text(t: SurveyText, lang: Language) -> &'static str {
    let (da, en) = match t {
        SurveyText::Title => ("Hvad synes du om samtalen?", "What did you think of the talk?"),
        SurveyText::Intro => (
            "Fem korte spørgsmål. Du er anonym: svarene gemmes uden dit navn og kan ikke kobles til dig eller samtalen.",
            "Five short questions. You are anonymous: your answers are kept without your name and cannot be linked to you or the talk.",
        ),
        SurveyText::Skip => ("Vil ikke svare", "Rather not say"),
        SurveyText::Next => ("Næste", "Next"),
        SurveyText::Back => ("Tilbage", "Back"),
        SurveyText::Send => ("Send svar", "Send answers"),
        SurveyText::Thanks => ("Tak for dine svar!", "Thank you for your answers!"),
        SurveyText::HandBack => ("Giv telefonen tilbage til medarbejderen.", "Please hand the phone back to the worker."),
        SurveyText::WorkerLeave => ("Medarbejder: lås op for at afslutte", "Worker: unlock to leave"),
        SurveyText::OtherLanguage => ("English", "Dansk"),
    };
    pick(lang, da, en)
}

/// "Spørgsmål 2 af 5" / "Question 2 of 5".
pub fn survey_progress(number: usize, lang: Language) -> String {
    let total = Statement::ALL.len();
    match lang {
        Language::Da => format!("Spørgsmål {number} af {total}"),
        Language::En => format!("Question {number} of {total}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_statement_and_answer_has_words_in_both_languages() {
        for lang in Language::ALL {
            let mut seen = Vec::new();
            for s in Statement::ALL {
                let (long, short) = (survey_statement(s, lang), survey_statement_short(s, lang));
                assert!(long.ends_with('.') && !short.ends_with('.'), "{s:?}");
                seen.push(long);
                seen.push(short);
            }
            for v in 1..=5 {
                seen.push(survey_answer(v, lang).unwrap());
            }
            for t in SurveyText::ALL {
                seen.push(survey_text(t, lang));
            }
            let n = seen.len();
            seen.sort_unstable();
            seen.dedup();
            assert_eq!(seen.len(), n, "distinct words");
        }
        assert_eq!(survey_answer(0, Language::Da), None);
        assert_eq!(survey_answer(6, Language::En), None);
        assert_eq!(survey_progress(2, Language::Da), "Spørgsmål 2 af 5");
        assert_eq!(survey_text(SurveyText::OtherLanguage, Language::Da), "English");
    }
}
