//! The wasm-bindgen API for the page (owned by the web work; placeholder).
