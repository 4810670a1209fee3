//! The static page (owned by the web work; placeholder).

pub fn setup() -> Result<(), String> {
    Ok(())
}

pub fn build() -> Result<(), String> {
    Ok(())
}

pub fn test() -> Result<(), String> {
    Ok(())
}
