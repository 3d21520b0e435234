#![no_main]
//! libFuzzer entry point; the target is `brobygger_fuzz::envelope`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| brobygger_fuzz::envelope::run(data));
