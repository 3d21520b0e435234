//! Property test of the outbox promises under random interleavings of sends, outcomes,
//! crashes between claim and outcome, reschedules, cancellations, consent changes, worker
//! decisions and clock jumps in both directions:
//! 1. a reminder is handed to the sender at most once, plus once per `resend` the worker asked
//!    for, plus once per hand-over the sender itself answered with a retryable failure (it
//!    said the text did not go out);
//! 2. in the end every reminder is final (sent, delivered, cancelled, failed or unknown).

mod common;

use brobygger_core::*;
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use common::*;
use proptest::prelude::*;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;

#[derive(Debug, Clone)]
enum Op {
    Advance(i64),
    Run { answer: u8 },
    CrashDuringSend,
    Reschedule(usize, i64),
    Cancel(usize),
    Outcome(usize),
    ToggleConsent,
    ResolveFirstUnknown { resend: bool },
    Deliver,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (-600i64..3000).prop_map(Op::Advance),
        4 => (0u8..6).prop_map(|answer| Op::Run { answer }),
        1 => Just(Op::CrashDuringSend),
        1 => (0usize..4, 60i64..4000).prop_map(|(i, m)| Op::Reschedule(i, m)),
        1 => (0usize..4).prop_map(Op::Cancel),
        1 => (0usize..4).prop_map(Op::Outcome),
        1 => Just(Op::ToggleConsent),
        2 => any::<bool>().prop_map(|resend| Op::ResolveFirstUnknown { resend }),
        1 => Just(Op::Deliver),
    ]
}

/// Records hand-overs; answers by a rotating script chosen per run.
struct Sender {
    handed: RefCell<HashMap<String, u32>>,
    /// Hand-overs the sender answered "failed, retryable": the text did not go out.
    retryable: RefCell<HashMap<String, u32>>,
    answer: Cell<u8>,
    order: RefCell<Vec<String>>,
}

impl SmsSender for Sender {
    fn send(&self, id: &str, _: &str, _: &str) -> Result<SendOutcome, SenderFailure> {
        *self.handed.borrow_mut().entry(id.to_string()).or_default() += 1;
        self.order.borrow_mut().push(id.to_string());
        match self.answer.get() {
            0..=2 => Ok(SendOutcome::Accepted),
            3 => {
                *self.retryable.borrow_mut().entry(id.to_string()).or_default() += 1;
                Ok(SendOutcome::Failed { retryable: true, reason: "no service".into() })
            }
            4 => Ok(SendOutcome::Failed { retryable: false, reason: "invalid destination".into() }),
            _ => Err(SenderFailure { reason: "threw".into() }),
        }
    }
}

struct Crashing;
impl SmsSender for Crashing {
    fn send(&self, _: &str, _: &str, _: &str) -> Result<SendOutcome, SenderFailure> {
        panic!("killed between claim and outcome")
    }
}

fn unlock_if_needed(f: &Fixture) {
    if !f.vault.is_unlocked() {
        f.vault.unlock(PIN).unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
    #[test]
    fn never_twice_never_lost(ops in proptest::collection::vec(op(), 1..40)) {
        let mut f = fixture();
        let start = Utc.with_ymd_and_hms(2026, 10, 20, 6, 0, 0).unwrap();
        f.clock.set(start);
        unlock_if_needed(&f);
        f.vault.set_worker_profile("Mette", "61223344", WorkerRole::Caseworker).unwrap();
        let ole = f.vault.add_citizen(NewCitizen {
            nickname: "Ole".into(), phone: Some("20304050".into()), sms_consent: Some(ConsentMethod::Verbal), ..Default::default()
        }).unwrap();
        // Four appointments over the coming week, across the October DST change.
        let mut appts: Vec<String> = (0..4).map(|i| {
            let day = NaiveDate::from_ymd_opt(2026, 10, 21 + 2 * i).unwrap();
            f.vault.book_appointment(NewAppointment {
                citizen_id: ole.id.clone(), venue_id: None,
                local_start: day.and_hms_opt(9 + i, 30, 0).unwrap(), duration_minutes: 45,
                kind: AppointmentKind::Conversation, outside_place: None,
            }).unwrap().appointment.id
        }).collect();
        let sender = Sender {
            handed: RefCell::new(HashMap::new()),
            retryable: RefCell::new(HashMap::new()),
            answer: Cell::new(0),
            order: RefCell::new(Vec::new()),
        };
        let mut resends: HashMap<String, u32> = HashMap::new();
        let mut consent = true;
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        for op in ops {
            match op {
                Op::Advance(m) => f.clock.advance(Duration::minutes(m)),
                Op::Run { answer } => {
                    sender.answer.set(answer);
                    f.vault.run_outbox(&sender, None).unwrap();
                }
                Op::CrashDuringSend => {
                    let died = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f.vault.run_outbox(&Crashing, None)));
                    if died.is_err() {
                        // The claim that was in flight counts as handed over.
                        let claimed: Vec<Reminder> = { unlock_if_needed(&f); f.vault.list_reminders(None).unwrap() };
                        for r in claimed.iter().filter(|r| r.state == ReminderState::Claimed && !r.awaiting_user) {
                            *sender.handed.borrow_mut().entry(r.id.clone()).or_default() += 1;
                        }
                    }
                    f.reopen().unwrap();
                }
                Op::Reschedule(i, m) => {
                    unlock_if_needed(&f);
                    let a = f.vault.get_appointment(&appts[i]).unwrap();
                    if a.status.is_active() {
                        let b = f.vault.reschedule_appointment(&appts[i], a.local_start + Duration::minutes(m), None).unwrap();
                        appts[i] = b.appointment.id;
                    }
                }
                Op::Cancel(i) => {
                    unlock_if_needed(&f);
                    let _ = f.vault.cancel_appointment(&appts[i], CancelledBy::Citizen);
                }
                Op::Outcome(i) => {
                    unlock_if_needed(&f);
                    let _ = f.vault.set_outcome(&appts[i], Outcome::Attended);
                }
                Op::ToggleConsent => {
                    unlock_if_needed(&f);
                    if consent { f.vault.withdraw_sms_consent(&ole.id).unwrap(); } else { f.vault.give_sms_consent(&ole.id, ConsentMethod::Sms).unwrap(); }
                    consent = !consent;
                }
                Op::ResolveFirstUnknown { resend } => {
                    unlock_if_needed(&f);
                    let all = f.vault.list_reminders(None).unwrap();
                    if let Some(r) = all.iter().find(|r| r.state == ReminderState::Unknown) {
                        let how = if resend { Resolution::Resend } else { Resolution::Drop };
                        if f.vault.resolve_reminder(&r.id, how).is_ok() && resend {
                            *resends.entry(r.id.clone()).or_default() += 1;
                        }
                    }
                }
                Op::Deliver => {
                    if let Some(id) = sender.order.borrow().last() {
                        let _ = f.vault.record_delivery(id, true);
                    }
                }
            }
        }
        std::panic::set_hook(hook);
        // Promise 1.
        for (id, n) in sender.handed.borrow().iter() {
            let allowed = 1 + resends.get(id).copied().unwrap_or(0) + sender.retryable.borrow().get(id).copied().unwrap_or(0);
            prop_assert!(*n <= allowed, "reminder handed over {n} times, {allowed} allowed");
        }
        // Promise 2: after every appointment has passed, nothing is left pending.
        f.clock.set(Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap());
        sender.answer.set(0);
        f.vault.run_outbox(&sender, None).unwrap();
        unlock_if_needed(&f);
        for a in &appts {
            for r in f.vault.list_reminders(Some(a)).unwrap() {
                prop_assert!(r.state.is_final(), "{:?} left {:?}", r.id, r.state);
                prop_assert!(r.state != ReminderState::Due && r.state != ReminderState::Planned);
            }
        }
    }
}
