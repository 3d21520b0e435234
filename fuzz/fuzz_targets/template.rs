#![no_main]
//! libFuzzer entry point; the target is `brobygger_fuzz::template`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| brobygger_fuzz::template::run(data));
