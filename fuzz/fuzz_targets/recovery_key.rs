#![no_main]
//! libFuzzer entry point; the target is `brobygger_fuzz::recovery_key`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| brobygger_fuzz::recovery_key::run(data));
