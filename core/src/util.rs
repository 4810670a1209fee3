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

/// The hash map of the engine's joins: foldhash with a fixed seed. The core has no source of
/// randomness (it is pure), and on `wasm32-unknown-unknown` — where the shipped hosts run it —
/// std's `RandomState` has fixed keys too, so SipHash bought no flooding resistance there, only
/// cost (7.6 % of a 1M-device evaluation). See SECURITY.md.
pub type Map<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;
pub type Set<K> = std::collections::HashSet<K, foldhash::fast::FixedState>;

/// An empty [`Map`] with room for `n` entries.
pub fn map<K, V>(n: usize) -> Map<K, V> {
    Map::with_capacity_and_hasher(n, foldhash::fast::FixedState::default())
}

/// Records of a slice found by a string key, keeping only their positions: 4 bytes a slot
/// where a [`Map`] from `&str` to a reference takes 24 (at a million users the difference is
/// ~40 MB, held while the rules run). The key is read back from the record to compare; when
/// several records have one key, the last wins (as `Map::insert` would).
pub struct KeyIndex<'a, T> {
    items: &'a [T],
    key: fn(&T) -> Option<&str>,
    table: hashbrown::HashTable<u32>,
}

fn hash_key(k: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::default().hash_one(k)
}

impl<'a, T> KeyIndex<'a, T> {
    pub fn new(items: &'a [T], key: fn(&T) -> Option<&str>) -> Self {
        let mut table = hashbrown::HashTable::with_capacity(items.len());
        let key_at = |j: u32| items.get(j as usize).and_then(key);
        for (i, it) in items.iter().enumerate() {
            let Some(k) = key(it) else { continue };
            let i = i as u32;
            match table.entry(
                hash_key(k),
                |&j| key_at(j) == Some(k),
                |&j| hash_key(key_at(j).unwrap_or("")),
            ) {
                hashbrown::hash_table::Entry::Occupied(mut o) => *o.get_mut() = i,
                hashbrown::hash_table::Entry::Vacant(v) => {
                    v.insert(i);
                }
            }
        }
        KeyIndex { items, key, table }
    }
    /// An index of nothing (no memory).
    pub fn empty() -> Self {
        KeyIndex {
            items: &[],
            key: |_| None,
            table: hashbrown::HashTable::new(),
        }
    }
    pub fn get(&self, k: &str) -> Option<&'a T> {
        let items = self.items;
        let key = self.key;
        self.table
            .find(hash_key(k), |&j| {
                items.get(j as usize).and_then(key) == Some(k)
            })
            .and_then(|&j| items.get(j as usize))
    }
}

/// An empty [`Set`] with room for `n` entries.
pub fn set<K>(n: usize) -> Set<K> {
    Set::with_capacity_and_hasher(n, foldhash::fast::FixedState::default())
}

/// Whether `hay` contains the ASCII `needle` (lower-case), ignoring ASCII case, without
/// allocating a lower-cased copy (called for every record on large tenants).
pub fn contains_ci(hay: &str, needle: &str) -> bool {
    let n = needle.as_bytes();
    n.is_empty()
        || hay
            .as_bytes()
            .windows(n.len())
            .any(|w| w.eq_ignore_ascii_case(n))
}

/// A string key compared as its `to_lowercase()` form without allocating it for ASCII text
/// (serial numbers and device names nearly always are).
#[derive(Debug, Clone)]
pub enum Caseless<'a> {
    /// ASCII text, compared and hashed lower-cased on the fly.
    Ascii(&'a str),
    /// Other text, already lower-cased with `str::to_lowercase`.
    Lower(String),
}

impl<'a> Caseless<'a> {
    pub fn new(s: &'a str) -> Self {
        if s.is_ascii() {
            Caseless::Ascii(s)
        } else {
            Caseless::Lower(s.to_lowercase())
        }
    }
    fn bytes(&self) -> impl Iterator<Item = u8> + '_ {
        let (s, fold) = match self {
            Caseless::Ascii(s) => (*s, true),
            Caseless::Lower(s) => (s.as_str(), false),
        };
        s.bytes()
            .map(move |b| if fold { b.to_ascii_lowercase() } else { b })
    }
    fn len(&self) -> usize {
        match self {
            Caseless::Ascii(s) => s.len(),
            Caseless::Lower(s) => s.len(),
        }
    }
}

impl PartialEq for Caseless<'_> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Caseless::Ascii(a), Caseless::Ascii(b)) => a.eq_ignore_ascii_case(b),
            (Caseless::Lower(a), Caseless::Lower(b)) => a == b,
            _ => self.len() == other.len() && self.bytes().eq(other.bytes()),
        }
    }
}
impl Eq for Caseless<'_> {}

impl std::hash::Hash for Caseless<'_> {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        // The lower-cased bytes in 64-byte chunks: one `write` per chunk, equal for equal keys
        // whichever variant holds them.
        let mut buf = [0u8; 64];
        let mut n = 0;
        for b in self.bytes() {
            buf[n] = b;
            n += 1;
            if n == buf.len() {
                h.write(&buf);
                n = 0;
            }
        }
        h.write(&buf[..n]);
        h.write_u8(0xff);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_index_finds_like_a_map_with_the_last_record_winning() {
        let items = [("a", 1), ("", 2), ("b", 3), ("a", 4), ("ab", 5), ("c", 6)];
        fn key<'a>(x: &'a (&'static str, i32)) -> Option<&'a str> {
            Some(x.0).filter(|k| !k.is_empty())
        }
        let ix = KeyIndex::new(&items, key);
        let mut map: Map<&str, &(&str, i32)> = super::map(0);
        for it in &items {
            if let Some(k) = key(it) {
                map.insert(k, it);
            }
        }
        for k in ["a", "b", "ab", "c", "", "d", "A"] {
            assert_eq!(ix.get(k), map.get(k).copied(), "{k}");
        }
        assert_eq!(ix.get("a").map(|x| x.1), Some(4));
        assert!(KeyIndex::<(&str, i32)>::empty().get("a").is_none());
    }
    #[test]
    fn contains_ci_matches_the_lower_cased_copy() {
        for hay in [
            "Windows",
            "WINDOWS 11",
            "microsoft windows server",
            "iOS",
            "",
            "wind",
            "Wíndows windows",
        ] {
            for needle in ["windows", "server", ""] {
                assert_eq!(
                    contains_ci(hay, needle),
                    hay.to_ascii_lowercase().contains(needle),
                    "{hay:?} {needle:?}"
                );
            }
        }
    }
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
    fn caseless_keys_equal_to_lowercase_keys() {
        use std::hash::BuildHasher;
        let st = foldhash::fast::FixedState::default();
        let long = "A".repeat(130);
        let pairs = [
            ("5CG1234XYZ", "5cg1234xyz"),
            ("Kelvin-\u{212A}", "kelvin-k"),
            ("ÉCRAN-01", "écran-01"),
            ("", ""),
            (long.as_str(), &*long.to_lowercase()),
        ];
        for (a, b) in pairs {
            let (ka, kb) = (Caseless::new(a), Caseless::new(b));
            assert_eq!(a.to_lowercase() == b.to_lowercase(), ka == kb, "{a} / {b}");
            if ka == kb {
                assert_eq!(st.hash_one(&ka), st.hash_one(&kb), "{a} / {b}");
            }
        }
        assert_ne!(Caseless::new("ab"), Caseless::new("abc"));
        assert_ne!(Caseless::new("É"), Caseless::new("e"));
        let mut m = map(4);
        *m.entry(Caseless::new("PC-1")).or_insert(0) += 1;
        *m.entry(Caseless::new("pc-1")).or_insert(0) += 1;
        assert_eq!(m.get(&Caseless::new("Pc-1")), Some(&2));
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
