//! The WebAssembly exports under Node: `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//! cargo test --target wasm32-unknown-unknown --no-default-features --test wasm`.
#![cfg(target_arch = "wasm32")]

#[path = "wasm/cases.rs"]
mod cases;
