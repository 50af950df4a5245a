//! WebAssembly bindings: deserialize, call the core, serialize. No logic of their own.
