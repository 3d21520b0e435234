#![no_main]
//! libFuzzer entry point; the target is `brobygger_fuzz::backup_file`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| brobygger_fuzz::backup_file::run(data));
