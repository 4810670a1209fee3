//! Small helpers.

/// At most `max` characters of `s`, with an ellipsis when cut.
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max).collect();
        out.push('…');
        out
    }
}

/// `all zeros or empty means "no Entra link"`.
pub fn is_nil_guid(s: &str) -> bool {
    let t = s.trim();
    t.is_empty()
        || t.chars()
            .all(|c| c == '0' || c == '-' || c == '{' || c == '}')
}

/// Compares dotted version strings numerically per component (`2.1.20.0` < `2.1.100.0`).
pub fn cmp_versions(a: &str, b: &str) -> std::cmp::Ordering {
    let pa: Vec<u64> = a
        .split('.')
        .map(|p| p.trim().parse().unwrap_or(0))
        .collect();
    let pb: Vec<u64> = b
        .split('.')
        .map(|p| p.trim().parse().unwrap_or(0))
        .collect();
    let n = pa.len().max(pb.len());
    for i in 0..n {
        let x = pa.get(i).copied().unwrap_or(0);
        let y = pb.get(i).copied().unwrap_or(0);
        match x.cmp(&y) {
            std::cmp::Ordering::Equal => continue,
            o => return o,
        }
    }
    std::cmp::Ordering::Equal
}

/// Every GUID in a text, lower-cased.
pub fn guids_in(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 36 <= b.len() {
        let w = &b[i..i + 36];
        let ok = w.iter().enumerate().all(|(j, c)| {
            if matches!(j, 8 | 13 | 18 | 23) {
                *c == b'-'
            } else {
                c.is_ascii_hexdigit()
            }
        });
        let boundary_before = i == 0 || !b[i - 1].is_ascii_hexdigit();
        if ok && boundary_before {
            out.push(String::from_utf8_lossy(w).to_ascii_lowercase());
            i += 36;
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn versions_compare_numerically() {
        assert_eq!(
            cmp_versions("2.1.20.0", "2.1.100.0"),
            std::cmp::Ordering::Less
        );
        assert_eq!(
            cmp_versions("5.00.9078", "5.0.9078.0"),
            std::cmp::Ordering::Equal
        );
    }
    #[test]
    fn nil_guid() {
        assert!(is_nil_guid("00000000-0000-0000-0000-000000000000"));
        assert!(is_nil_guid(""));
        assert!(!is_nil_guid("5a1b2c3d-0000-4000-8000-00000000abcd"));
    }
    #[test]
    fn finds_guids() {
        let g = guids_in(
            "x 5A1B2C3D-0000-4000-8000-00000000ABCD, 11111111-2222-3333-4444-555555555555",
        );
        assert_eq!(g.len(), 2);
    }
}
