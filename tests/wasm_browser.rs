//! The WebAssembly exports in a browser (headless Chromium through
//! chromedriver): the same cases as `tests/wasm.rs`.
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[path = "wasm/cases.rs"]
mod cases;
