#![no_main]
//! libFuzzer entry point; the target is `brobygger_fuzz::sms_text`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| brobygger_fuzz::sms_text::run(data));
