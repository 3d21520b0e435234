//! Labels for the values lists and forms show: kinds, statuses, the evaluation's topics
//! and kinds of help (in the evaluation's Danish terms), roles, and the like.

use super::{pick, Language};
use crate::appointments::{AppointmentKind, AppointmentStatus, Warning};
use crate::citizens::{ConsentMethod, SmsEligibility};
use crate::notes::{HelpGiven, NoteState, Topic};
use crate::reminders::{Hold, ReminderKind, ReminderState};
use crate::sms::lint::Category;
use crate::sms::phone::PhoneKind;
use crate::sms::SmsLanguage;
use crate::vault::IntegrityState;
use crate::venues::{AbsenceReason, VenueKind};
use crate::worker::WorkerRole;

/// A value a list or form shows, by its enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    AppointmentKind(AppointmentKind),
    AppointmentStatus(AppointmentStatus),
    Topic(Topic),
    HelpGiven(HelpGiven),
    WorkerRole(WorkerRole),
    ConsentMethod(ConsentMethod),
    AbsenceReason(AbsenceReason),
    ReminderKind(ReminderKind),
    ReminderState(ReminderState),
    SmsEligibility(SmsEligibility),
    IntegrityState(IntegrityState),
    /// A category of the discretion lint (what a held word is about).
    LintCategory(Category),
    Hold(Hold),
    NoteState(NoteState),
    VenueKind(VenueKind),
    PhoneKind(PhoneKind),
    SmsLanguage(SmsLanguage),
    /// A booking warning's kind, as a short heading.
    Warning(Warning),
}

macro_rules! from_each {
    ($($variant:ident),* $(,)?) => {
        $(impl From<$variant> for Label {
            fn from(v: $variant) -> Self {
                Label::$variant(v)
            }
        })*
    };
}
from_each!(
    AppointmentKind,
    AppointmentStatus,
    Topic,
    HelpGiven,
    WorkerRole,
    ConsentMethod,
    AbsenceReason,
    ReminderKind,
    ReminderState,
    SmsEligibility,
    IntegrityState,
    Hold,
    NoteState,
    VenueKind,
    PhoneKind,
    SmsLanguage,
    Warning,
);

impl From<Category> for Label {
    fn from(c: Category) -> Self {
        Label::LintCategory(c)
    }
}

/// The label of `value`: `label(Topic::MentalHealth.into(), Language::Da)` is "Psykisk helbred".
pub fn label(value: Label, lang: Language) -> &'static str {
    let (da, en) = match value {
        Label::AppointmentKind(k) => match k {
            AppointmentKind::Conversation => ("Samtale", "Conversation"),
            AppointmentKind::StatutoryMeeting => ("Lovpligtig samtale", "Statutory meeting"),
            AppointmentKind::Accompaniment => ("Ledsagelse", "Accompaniment"),
            AppointmentKind::HomeVisit => ("Hjemmebesøg", "Home visit"),
            AppointmentKind::GroupActivity => ("Holdaktivitet", "Group activity"),
        },
        Label::AppointmentStatus(s) => match s {
            AppointmentStatus::Planned => ("Planlagt", "Planned"),
            AppointmentStatus::Confirmed => ("Bekræftet", "Confirmed"),
            AppointmentStatus::Attended => ("Mødt op", "Attended"),
            AppointmentStatus::NoShow => ("Udeblevet", "No-show"),
            AppointmentStatus::CancelledByCitizen => ("Aflyst af borgeren", "Cancelled by the citizen"),
            AppointmentStatus::CancelledByWorker => ("Aflyst af medarbejderen", "Cancelled by the worker"),
            AppointmentStatus::Rescheduled => ("Flyttet", "Rescheduled"),
        },
        // The evaluation's categories of conversation topics.
        Label::Topic(t) => match t {
            Topic::JobEducationRehabilitation => ("Job/uddannelse/revalidering", "Job/education/rehabilitation"),
            Topic::MentalHealth => ("Psykisk helbred", "Mental health"),
            Topic::PhysicalHealth => ("Fysisk helbred", "Physical health"),
            Topic::AlcoholDrugs => ("Alkohol/stoffer", "Alcohol/drugs"),
            Topic::FinancesHousing => ("Privatøkonomi/bolig", "Personal finances/housing"),
            Topic::Other => ("Andet", "Other"),
        },
        // The kinds of help the outreach workers give, as the implementation guide lists them.
        Label::HelpGiven(h) => match h {
            HelpGiven::AdviceOnSupport => ("Råd og vejledning om støttemuligheder", "Advice on support"),
            HelpGiven::ActionPlan => ("Handleplan", "Action plan"),
            HelpGiven::Forms => ("Hjælp til skemaer", "Help with forms"),
            HelpGiven::FinancesOverview => ("Overblik over privatøkonomien", "Overview of finances"),
            HelpGiven::Accompaniment => ("Ledsagelse til møder", "Accompaniment to meetings"),
            HelpGiven::HealthSubstanceAdvice => ("Råd om sundhed og misbrug", "Advice on health and substance use"),
            HelpGiven::HelpIntoTreatment => ("Hjælp til at komme i behandling", "Help into treatment"),
            HelpGiven::DailyLifeSupport => ("Støtte til at mestre eget liv", "Support for daily life"),
        },
        Label::WorkerRole(r) => match r {
            WorkerRole::Caseworker => ("Sagsbehandler", "Caseworker"),
            WorkerRole::SubstanceAbuseWorker => ("Misbrugsmedarbejder", "Substance-abuse worker"),
            WorkerRole::SupportContactPerson => ("Støtte- og kontaktperson (SKP)", "Support and contact person (SKP)"),
        },
        Label::ConsentMethod(m) => match m {
            ConsentMethod::Verbal => ("Mundtligt", "Verbally"),
            ConsentMethod::Written => ("Skriftligt", "In writing"),
            ConsentMethod::Sms => ("Via sms", "By text message"),
            ConsentMethod::Other => ("Andet", "Other"),
        },
        Label::AbsenceReason(r) => match r {
            AbsenceReason::Vacation => ("Ferie", "Holiday"),
            AbsenceReason::Sick => ("Sygdom", "Illness"),
            AbsenceReason::Course => ("Kursus", "Course"),
            AbsenceReason::Other => ("Andet", "Other"),
        },
        Label::ReminderKind(k) => match k {
            ReminderKind::Confirmation => ("Bekræftelse", "Confirmation"),
            ReminderKind::DayBefore => ("Dagen før", "The day before"),
            ReminderKind::HoursBefore => ("Timer før", "Hours before"),
        },
        Label::ReminderState(s) => match s {
            ReminderState::Planned => ("Planlagt", "Planned"),
            ReminderState::Due => ("Klar til afsendelse", "Due"),
            ReminderState::Claimed => ("Sendes nu", "Sending"),
            ReminderState::Sent => ("Sendt", "Sent"),
            ReminderState::Delivered => ("Leveret", "Delivered"),
            ReminderState::Failed => ("Mislykkedes", "Failed"),
            ReminderState::Cancelled => ("Annulleret", "Cancelled"),
            ReminderState::Unknown => ("Uvist om den blev sendt", "Not known whether sent"),
        },
        Label::SmsEligibility(e) => match e {
            SmsEligibility::Eligible => ("Kan få sms", "Can receive texts"),
            SmsEligibility::NoSmsConsent => ("Intet samtykke til sms", "No consent to texts"),
            SmsEligibility::NoPhone => ("Intet telefonnummer", "No phone number"),
            SmsEligibility::NotMobile => ("Ikke et mobilnummer", "Not a mobile number"),
        },
        Label::IntegrityState(s) => match s {
            IntegrityState::Unchecked => ("Ikke kontrolleret", "Not checked"),
            IntegrityState::CheckAdvised => ("Kontrol anbefales", "Check advised"),
            IntegrityState::Ok => ("I orden", "OK"),
            IntegrityState::Damaged => ("Beskadiget", "Damaged"),
            IntegrityState::RolledBack => ("Sat tilbage til en ældre kopi", "Put back to an older copy"),
        },
        Label::LintCategory(c) => match c {
            Category::SubstanceAbuse => ("Misbrug", "Substance abuse"),
            Category::Alcohol => ("Alkohol", "Alcohol"),
            Category::MentalHealth => ("Psykisk helbred", "Mental health"),
            Category::Debt => ("Gæld", "Debt"),
            Category::Sanctions => ("Sanktioner", "Sanctions"),
            Category::JobCentre => ("Jobcenter", "Job centre"),
            Category::Treatment => ("Behandling", "Treatment"),
            Category::Benefits => ("Ydelser", "Benefits"),
            Category::HelpOrganisation => ("Hjælpeorganisation", "Help organisation"),
        },
        Label::Hold(h) => match h {
            Hold::Lint => ("Nævner et følsomt emne", "Names a sensitive matter"),
            Hold::TooLong => ("For lang (over 3 sms'er)", "Too long (over 3 messages)"),
        },
        Label::NoteState(s) => match s {
            NoteState::Draft => ("Kladde", "Draft"),
            NoteState::Final => ("Færdig", "Final"),
            NoteState::Journalised => ("Journaliseret", "Journalised"),
        },
        Label::VenueKind(k) => match k {
            VenueKind::Municipal => ("Kommunalt", "Municipal"),
            VenueKind::Private => ("Privat", "Private"),
        },
        Label::PhoneKind(k) => match k {
            PhoneKind::Mobile => ("Mobil", "Mobile"),
            PhoneKind::Fixed => ("Fastnet", "Landline"),
            PhoneKind::Unknown => ("Ukendt type", "Unknown kind"),
        },
        Label::SmsLanguage(l) => match l {
            SmsLanguage::Da => ("Dansk", "Danish"),
            SmsLanguage::En => ("Engelsk", "English"),
        },
        Label::Warning(w) => match w {
            Warning::Overlap => ("Overlapper", "Overlap"),
            Warning::OutsideOfficeHours => ("Uden for træffetid", "Outside office hours"),
            Warning::Absence => ("Fravær", "Absence"),
            Warning::Holiday => ("Helligdag", "Holiday"),
            Warning::InPast => ("Tidspunktet er passeret", "In the past"),
            Warning::DstGap => ("Sommertid begynder", "Summer time begins"),
            Warning::DstAmbiguous => ("Sommertid slutter", "Summer time ends"),
            Warning::SmsHeld => ("Sms venter på godkendelse", "Text awaits approval"),
        },
    };
    pick(lang, da, en)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Language::{Da, En};

    /// Every value of every labelled enum. Each list is checked by an exhaustive match, so a
    /// new variant fails to compile here until it is listed (and so labelled).
    fn every_value() -> Vec<Label> {
        let mut all: Vec<Label> = Vec::new();
        macro_rules! each {
            ($ty:ident: $($v:ident),+) => {{
                for v in [$($ty::$v),+] {
                    match v { $($ty::$v)|+ => {} }
                    all.push(v.into());
                }
            }};
        }
        each!(AppointmentKind: Conversation, StatutoryMeeting, Accompaniment, HomeVisit, GroupActivity);
        each!(AppointmentStatus: Planned, Confirmed, Attended, NoShow, CancelledByCitizen, CancelledByWorker, Rescheduled);
        each!(Topic: JobEducationRehabilitation, MentalHealth, PhysicalHealth, AlcoholDrugs, FinancesHousing, Other);
        each!(HelpGiven: AdviceOnSupport, ActionPlan, Forms, FinancesOverview, Accompaniment, HealthSubstanceAdvice, HelpIntoTreatment, DailyLifeSupport);
        each!(WorkerRole: Caseworker, SubstanceAbuseWorker, SupportContactPerson);
        each!(ConsentMethod: Verbal, Written, Sms, Other);
        each!(AbsenceReason: Vacation, Sick, Course, Other);
        each!(ReminderKind: Confirmation, DayBefore, HoursBefore);
        each!(ReminderState: Planned, Due, Claimed, Sent, Delivered, Failed, Cancelled, Unknown);
        each!(SmsEligibility: Eligible, NoSmsConsent, NoPhone, NotMobile);
        each!(IntegrityState: Unchecked, CheckAdvised, Ok, Damaged, RolledBack);
        each!(Category: SubstanceAbuse, Alcohol, MentalHealth, Debt, Sanctions, JobCentre, Treatment, Benefits, HelpOrganisation);
        each!(Hold: Lint, TooLong);
        each!(NoteState: Draft, Final, Journalised);
        each!(VenueKind: Municipal, Private);
        each!(PhoneKind: Mobile, Fixed, Unknown);
        each!(SmsLanguage: Da, En);
        each!(Warning: Overlap, OutsideOfficeHours, Absence, Holiday, InPast, DstGap, DstAmbiguous, SmsHeld);
        all
    }

    #[test]
    fn every_value_has_a_label_in_both_languages() {
        let all = every_value();
        assert!(all.len() > 80, "{}", all.len());
        for v in &all {
            // Exhaustive over the labelled enums: a new one needs a list above.
            match v {
                Label::AppointmentKind(_)
                | Label::AppointmentStatus(_)
                | Label::Topic(_)
                | Label::HelpGiven(_)
                | Label::WorkerRole(_)
                | Label::ConsentMethod(_)
                | Label::AbsenceReason(_)
                | Label::ReminderKind(_)
                | Label::ReminderState(_)
                | Label::SmsEligibility(_)
                | Label::IntegrityState(_)
                | Label::LintCategory(_)
                | Label::Hold(_)
                | Label::NoteState(_)
                | Label::VenueKind(_)
                | Label::PhoneKind(_)
                | Label::SmsLanguage(_)
                | Label::Warning(_) => {}
            }
            for lang in Language::ALL {
                let l = label(*v, lang);
                assert!(!l.trim().is_empty(), "{v:?} {lang:?}");
                assert_eq!(l, l.trim());
            }
        }
    }

    #[test]
    fn labels_within_one_enum_are_distinct() {
        let all = every_value();
        for lang in Language::ALL {
            for (i, a) in all.iter().enumerate() {
                for b in &all[i + 1..] {
                    if std::mem::discriminant(a) == std::mem::discriminant(b) {
                        assert_ne!(label(*a, lang), label(*b, lang), "{a:?} {b:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn sample_labels() {
        for (v, da, en) in [
            (
                Label::from(Topic::JobEducationRehabilitation),
                "Job/uddannelse/revalidering",
                "Job/education/rehabilitation",
            ),
            (Topic::MentalHealth.into(), "Psykisk helbred", "Mental health"),
            (HelpGiven::HelpIntoTreatment.into(), "Hjælp til at komme i behandling", "Help into treatment"),
            (AppointmentKind::StatutoryMeeting.into(), "Lovpligtig samtale", "Statutory meeting"),
            (AppointmentStatus::NoShow.into(), "Udeblevet", "No-show"),
            (
                WorkerRole::SupportContactPerson.into(),
                "Støtte- og kontaktperson (SKP)",
                "Support and contact person (SKP)",
            ),
            (Category::Debt.into(), "Gæld", "Debt"),
            (ReminderKind::DayBefore.into(), "Dagen før", "The day before"),
        ] {
            assert_eq!(label(v, Da), da);
            assert_eq!(label(v, En), en);
        }
    }
}
