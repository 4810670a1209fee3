//! The `apready` command (owned by the host work; placeholder).

pub fn build() -> Result<(), String> {
    crate::wasm::build_all().map(|_| ())
}

pub fn demo() -> Result<(), String> {
    Err("demo: not implemented yet".into())
}
