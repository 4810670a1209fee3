//! Lenient typed reading of JSON values, straight from the byte stream.
//!
//! Every field of every record is read through a seed that never fails on a type mismatch:
//! the value is consumed and remembered as [`F::Bad`], so one wrong field makes one finding
//! `error` instead of aborting the file. Syntax errors and the nesting limit still abort the
//! file (serde_json reports them with line and column).

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

use crate::time::{parse_stamp, Stamp};

/// A field as read from an export.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum F<T> {
    /// The key was not in the record.
    #[default]
    Absent,
    /// The key was there with `null`.
    Null,
    Val(T),
    /// The value could not be used. Boxed: a bad value is rare, and an unboxed `Bad` (two
    /// `&'static str`) made every field of every record 40 bytes, even an `F<bool>`.
    Bad(Box<Bad>),
}

/// A string value of a record: up to [`Str::INLINE`] bytes (every GUID, most names, serial
/// numbers and UPNs) kept inside the record, longer ones on the heap. A 1M-device tenant has
/// about 10 million such values; stored inline they cost no allocation of their own (the
/// allocator's header and rounding made a 36-byte GUID take 64 bytes) and no free.
#[derive(Clone)]
pub struct Str(Repr);

#[derive(Clone)]
enum Repr {
    /// `len` bytes of `buf`, copied from a whole `&str`.
    Inline {
        len: u8,
        buf: [u8; Str::INLINE],
    },
    Heap(Box<str>),
}

impl Str {
    pub const INLINE: usize = 38;
}

impl From<&str> for Str {
    fn from(s: &str) -> Self {
        let mut buf = [0u8; Str::INLINE];
        match buf.get_mut(..s.len()) {
            Some(head) => {
                head.copy_from_slice(s.as_bytes());
                Str(Repr::Inline {
                    len: s.len() as u8,
                    buf,
                })
            }
            None => Str(Repr::Heap(s.into())),
        }
    }
}

impl From<String> for Str {
    fn from(s: String) -> Self {
        if s.len() <= Str::INLINE {
            Str::from(s.as_str())
        } else {
            Str(Repr::Heap(s.into_boxed_str()))
        }
    }
}

impl std::ops::Deref for Str {
    type Target = str;
    fn deref(&self) -> &str {
        match &self.0 {
            Repr::Inline { len, buf } => {
                let bytes = buf.get(..usize::from(*len)).unwrap_or_default();
                debug_assert!(std::str::from_utf8(bytes).is_ok());
                // SAFETY: `Inline` is only built by `From<&str>`, which copies a whole `&str`
                // (valid UTF-8) into `buf` and records its length; the bytes never change.
                unsafe { std::str::from_utf8_unchecked(bytes) }
            }
            Repr::Heap(b) => b,
        }
    }
}

impl PartialEq for Str {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}
impl Eq for Str {}

impl fmt::Debug for Str {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

/// Written as the string it holds (a report's device ids and names are `Str`s).
impl serde::Serialize for Str {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self)
    }
}

impl fmt::Display for Str {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}

/// Why a value could not be used.
#[derive(Debug, Clone, PartialEq)]
pub enum Bad {
    WrongType {
        expected: &'static str,
        found: &'static str,
    },
    /// PowerShell's ConvertTo-Json ran out of depth and wrote a type name instead of the value.
    DepthTruncated(Box<str>),
    /// Right type, unusable content (an unparsable timestamp).
    Unparsable(Box<str>),
}

impl Bad {
    pub fn describe(&self) -> String {
        match self {
            Bad::WrongType { expected, found } => format!("expected {expected}, found {found}"),
            Bad::DepthTruncated(t) => format!(
                "the value is the type name \"{}\": ConvertTo-Json ran out of depth; re-export with -Depth 10",
                crate::util::clip(t, 120)
            ),
            Bad::Unparsable(t) => format!("\"{}\" is not a usable value", crate::util::clip(t, 120)),
        }
    }
}

impl<T> F<T> {
    /// A value that could not be used.
    pub fn invalid(b: Bad) -> Self {
        F::Bad(Box::new(b))
    }
    pub fn val(&self) -> Option<&T> {
        match self {
            F::Val(v) => Some(v),
            _ => None,
        }
    }
    pub fn is_absent(&self) -> bool {
        matches!(self, F::Absent)
    }
    pub fn bad(&self) -> Option<&Bad> {
        match self {
            F::Bad(b) => Some(&**b),
            _ => None,
        }
    }
    /// Missing (absent or null): not supplied.
    pub fn is_missing(&self) -> bool {
        matches!(self, F::Absent | F::Null)
    }
    /// Field-by-field merge: `other` wins where it carries anything.
    pub fn merge(&mut self, other: F<T>) {
        if !other.is_absent() {
            *self = other;
        }
    }
}

impl<T: std::ops::Deref<Target = str>> F<T> {
    pub fn str(&self) -> Option<&str> {
        match self {
            F::Val(v) => Some(v),
            _ => None,
        }
    }
    /// The same field with the string borrowed (so string fields of different storage can be
    /// handled together).
    pub fn as_str_f(&self) -> F<&str> {
        match self {
            F::Val(v) => F::Val(&**v),
            F::Absent => F::Absent,
            F::Null => F::Null,
            F::Bad(b) => F::Bad(b.clone()),
        }
    }
    /// A non-empty string value.
    pub fn text(&self) -> Option<&str> {
        self.str().map(str::trim).filter(|s| !s.is_empty())
    }
}

/// The longest string value read: no Graph or device value comes near 1 MiB. A longer one is
/// an unusable value (its record errs) instead of a copy, so a hostile 1 GB string costs no
/// memory beyond the input itself.
pub const MAX_STRING: usize = 1 << 20;

/// `Some(Bad)` for a string longer than [`MAX_STRING`].
fn too_long<T>(v: &str) -> Option<F<T>> {
    // `then`, not `then_some`: the error is boxed only for a string that is too long (an
    // eager `then_some` allocated and freed a box for every string read).
    (v.len() > MAX_STRING).then(|| {
        F::invalid(Bad::WrongType {
            expected: "a string of at most 1 MiB",
            found: "a longer string",
        })
    })
}

/// Text kept for a message about an unusable value (never the whole of a huge string).
fn kept(v: &str) -> Box<str> {
    if v.len() <= 240 {
        v.into()
    } else {
        crate::util::clip(v, 200).into()
    }
}

pub(crate) fn looks_like_type_name(s: &str) -> bool {
    let t = s.trim();
    t.starts_with("Microsoft.Graph.")
        || t.starts_with("System.")
        || t.starts_with("@{")
        || t.starts_with("Deserialized.")
}

macro_rules! reject_others {
    ($expected:expr, $out:ty) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<$out, E> {
            Ok(F::invalid(Bad::WrongType {
                expected: $expected,
                found: "a boolean",
            }))
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<$out, E> {
            Ok(F::invalid(Bad::WrongType {
                expected: $expected,
                found: "a number",
            }))
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<$out, E> {
            Ok(F::invalid(Bad::WrongType {
                expected: $expected,
                found: "a number",
            }))
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<$out, E> {
            Ok(F::invalid(Bad::WrongType {
                expected: $expected,
                found: "a number",
            }))
        }
        fn visit_unit<E: de::Error>(self) -> Result<$out, E> {
            Ok(F::Null)
        }
        fn visit_none<E: de::Error>(self) -> Result<$out, E> {
            Ok(F::Null)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<$out, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(F::invalid(Bad::WrongType {
                expected: $expected,
                found: "an array",
            }))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<$out, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(F::invalid(Bad::WrongType {
                expected: $expected,
                found: "an object",
            }))
        }
    };
}

/// A string field.
pub struct StrSeed;
impl<'de> DeserializeSeed<'de> for StrSeed {
    type Value = F<Str>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(StrV)
    }
}
struct StrV;
impl<'de> Visitor<'de> for StrV {
    type Value = F<Str>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if let Some(bad) = too_long(v) {
            return Ok(bad);
        }
        Ok(F::Val(v.into()))
    }
    reject_others!("a string", F<Str>);
}

/// A string value stored once per distinct value ([`crate::model::Strings`]): read like
/// [`StrSeed`], or like [`EnumSeed`] with a table, but interned straight from the input's text.
pub struct SymSeed<'s> {
    pub st: &'s mut crate::model::Strings,
    pub table: Option<&'static [(i64, &'static str)]>,
}
macro_rules! sym_delegate {
    ($($name:ident($t:ty)),*) => {$(
        fn $name<E: de::Error>(self, v: $t) -> Result<Self::Value, E> {
            let f = match self.table {
                Some(t) => EnumV(t).$name(v)?,
                None => StrV.$name(v)?,
            };
            Ok(self.st.f(f))
        }
    )*};
}
impl<'de> DeserializeSeed<'de> for SymSeed<'_> {
    type Value = F<crate::model::Sym>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}
impl<'de> Visitor<'de> for SymSeed<'_> {
    type Value = F<crate::model::Sym>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(if self.table.is_some() {
            "an enum name or number"
        } else {
            "a string"
        })
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if let Some(bad) = too_long(v) {
            return Ok(bad);
        }
        let t = if self.table.is_some() { v.trim() } else { v };
        Ok(F::Val(self.st.get_str(t)))
    }
    sym_delegate!(
        visit_bool(bool),
        visit_i64(i64),
        visit_u64(u64),
        visit_f64(f64)
    );
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(F::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(F::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let f = match self.table {
            Some(t) => EnumV(t).visit_seq(seq)?,
            None => StrV.visit_seq(seq)?,
        };
        Ok(self.st.f(f))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let f = match self.table {
            Some(t) => EnumV(t).visit_map(map)?,
            None => StrV.visit_map(map)?,
        };
        Ok(self.st.f(f))
    }
}

/// A GUID-like identifier: lower-cased and trimmed so joins compare case-insensitively.
pub struct IdSeed;
impl<'de> DeserializeSeed<'de> for IdSeed {
    type Value = F<Str>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(IdV)
    }
}
struct IdV;
impl<'de> Visitor<'de> for IdV {
    type Value = F<Str>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an identifier")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if let Some(bad) = too_long(v) {
            return Ok(bad);
        }
        let t = v.trim();
        if t.bytes().any(|b| b.is_ascii_uppercase()) {
            Ok(F::Val(t.to_ascii_lowercase().into()))
        } else {
            Ok(F::Val(t.into()))
        }
    }
    reject_others!("an identifier string", F<Str>);
}

/// An enum written as its name (Graph, PowerShell 7) or as its number (Windows PowerShell 5.1).
pub struct EnumSeed(pub &'static [(i64, &'static str)]);
impl<'de> DeserializeSeed<'de> for EnumSeed {
    type Value = F<Str>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(EnumV(self.0))
    }
}
struct EnumV(&'static [(i64, &'static str)]);
impl EnumV {
    /// Graph and the PowerShell SDK write enum names; a number is the wrong type (the
    /// name table is kept to say which member the number would have meant).
    fn num<E: de::Error>(&self, n: i64) -> Result<F<Str>, E> {
        let _meant = self.0.iter().find(|(k, _)| *k == n);
        Ok(F::invalid(Bad::WrongType {
            expected: "an enum name",
            found: "a number",
        }))
    }
}
impl<'de> Visitor<'de> for EnumV {
    type Value = F<Str>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an enum name or number")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if let Some(bad) = too_long(v) {
            return Ok(bad);
        }
        Ok(F::Val(v.trim().into()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.num(v)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.num(i64::try_from(v).unwrap_or(i64::MAX))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(F::invalid(Bad::WrongType {
            expected: "an enum name",
            found: "a fractional number",
        }))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(F::invalid(Bad::WrongType {
            expected: "an enum name",
            found: "a boolean",
        }))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(F::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(F::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(F::invalid(Bad::WrongType {
            expected: "an enum name",
            found: "an array",
        }))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(F::invalid(Bad::WrongType {
            expected: "an enum name",
            found: "an object",
        }))
    }
}

/// A boolean.
pub struct BoolSeed;
impl<'de> DeserializeSeed<'de> for BoolSeed {
    type Value = F<bool>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(BoolV)
    }
}
struct BoolV;
impl<'de> Visitor<'de> for BoolV {
    type Value = F<bool>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a boolean")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(F::Val(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(F::invalid(Bad::WrongType {
            expected: "a boolean",
            found: if looks_like_type_name(v) {
                "a type name"
            } else {
                "a string"
            },
        }))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(F::invalid(Bad::WrongType {
            expected: "a boolean",
            found: "a number",
        }))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(F::invalid(Bad::WrongType {
            expected: "a boolean",
            found: "a number",
        }))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(F::invalid(Bad::WrongType {
            expected: "a boolean",
            found: "a number",
        }))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(F::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(F::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(F::invalid(Bad::WrongType {
            expected: "a boolean",
            found: "an array",
        }))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(F::invalid(Bad::WrongType {
            expected: "a boolean",
            found: "an object",
        }))
    }
}

/// An integer.
pub struct IntSeed;
impl<'de> DeserializeSeed<'de> for IntSeed {
    type Value = F<i64>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(IntV)
    }
}
struct IntV;
impl<'de> Visitor<'de> for IntV {
    type Value = F<i64>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an integer")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(F::Val(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(F::Val(i64::try_from(v).unwrap_or(i64::MAX)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        if v.fract() == 0.0 && v.abs() < 9.0e15 {
            Ok(F::Val(v as i64))
        } else {
            Ok(F::invalid(Bad::WrongType {
                expected: "an integer",
                found: "a fractional number",
            }))
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(F::invalid(Bad::WrongType {
            expected: "an integer",
            found: if looks_like_type_name(v) {
                "a type name"
            } else {
                "a string"
            },
        }))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(F::invalid(Bad::WrongType {
            expected: "an integer",
            found: "a boolean",
        }))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(F::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(F::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(F::invalid(Bad::WrongType {
            expected: "an integer",
            found: "an array",
        }))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(F::invalid(Bad::WrongType {
            expected: "an integer",
            found: "an object",
        }))
    }
}

/// A timestamp (RFC 3339, ISO without offset, or `/Date(ms)/`).
pub struct StampSeed;
impl<'de> DeserializeSeed<'de> for StampSeed {
    type Value = F<Stamp>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(StampV)
    }
}
struct StampV;
impl<'de> Visitor<'de> for StampV {
    type Value = F<Stamp>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a timestamp")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        match parse_stamp(v) {
            Some(s) => Ok(F::Val(s)),
            None if v.trim().is_empty() => Ok(F::Null),
            None if looks_like_type_name(v) => Ok(F::invalid(Bad::DepthTruncated(kept(v)))),
            None => Ok(F::invalid(Bad::Unparsable(kept(v)))),
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        // PowerShell 7's ConvertTo-Json of a DateTimeOffset can write an object with
        // `DateTime`/`UtcDateTime`/`value` members; take the first usable one.
        let mut found = None;
        while let Some(k) = map.next_key::<Box<str>>()? {
            let f = map.next_value_seed(StampSeed)?;
            let key = k.to_ascii_lowercase();
            if found.is_none() && matches!(key.as_str(), "utcdatetime" | "value" | "datetime") {
                if let F::Val(s) = f {
                    found = Some(s);
                }
            }
        }
        Ok(match found {
            Some(s) => F::Val(s),
            None => F::invalid(Bad::WrongType {
                expected: "a timestamp",
                found: "an object",
            }),
        })
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(F::invalid(Bad::WrongType {
            expected: "a timestamp",
            found: "a boolean",
        }))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(F::invalid(Bad::WrongType {
            expected: "a timestamp",
            found: "a number",
        }))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(F::invalid(Bad::WrongType {
            expected: "a timestamp",
            found: "a number",
        }))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(F::invalid(Bad::WrongType {
            expected: "a timestamp",
            found: "a number",
        }))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(F::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(F::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(F::invalid(Bad::WrongType {
            expected: "a timestamp",
            found: "an array",
        }))
    }
}

/// An object read member by member into `T`.
pub trait ObjFields: Default {
    const EXPECTED: &'static str;
    /// Reads the value of `key` (ASCII lower-cased) from `map`; must consume it.
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &[u8], map: &mut A) -> Result<(), A::Error>;
}

pub struct ObjSeed<T>(std::marker::PhantomData<T>);
impl<T> ObjSeed<T> {
    pub fn new() -> Self {
        ObjSeed(std::marker::PhantomData)
    }
}
impl<T> Default for ObjSeed<T> {
    fn default() -> Self {
        Self::new()
    }
}
impl<'de, T: ObjFields> DeserializeSeed<'de> for ObjSeed<T> {
    type Value = F<T>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(ObjV::<T>(std::marker::PhantomData))
    }
}
struct ObjV<T>(std::marker::PhantomData<T>);
impl<'de, T: ObjFields> Visitor<'de> for ObjV<T> {
    type Value = F<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(T::EXPECTED)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = T::default();
        while let Some(k) = map.next_key_seed(KeySeed)? {
            out.field(k.as_bytes(), &mut map)?;
        }
        Ok(F::Val(out))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if looks_like_type_name(v) {
            Ok(F::invalid(Bad::DepthTruncated(kept(v))))
        } else {
            Ok(F::invalid(Bad::WrongType {
                expected: T::EXPECTED,
                found: "a string",
            }))
        }
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(F::invalid(Bad::WrongType {
            expected: T::EXPECTED,
            found: "a boolean",
        }))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(F::invalid(Bad::WrongType {
            expected: T::EXPECTED,
            found: "a number",
        }))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(F::invalid(Bad::WrongType {
            expected: T::EXPECTED,
            found: "a number",
        }))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(F::invalid(Bad::WrongType {
            expected: T::EXPECTED,
            found: "a number",
        }))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(F::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(F::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        // PowerShell writes a one-item collection as a bare object and sometimes the
        // reverse: take a one-element array holding an object.
        let first: Option<F<T>> = seq.next_element_seed(ObjSeed::<T>::new())?;
        let mut extra = false;
        while seq.next_element::<IgnoredAny>()?.is_some() {
            extra = true;
        }
        match first {
            Some(f @ F::Val(_)) if !extra => Ok(f),
            _ => Ok(F::invalid(Bad::WrongType {
                expected: T::EXPECTED,
                found: "an array",
            })),
        }
    }
}

/// An array of elements read by a seed; a bare element (PowerShell's one-item array) is
/// accepted as a one-element array.
pub struct ArrSeed<S>(pub S);
impl<'de, S, T> DeserializeSeed<'de> for ArrSeed<S>
where
    S: DeserializeSeed<'de, Value = F<T>> + Clone,
{
    type Value = F<Vec<F<T>>>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(ArrV(self.0))
    }
}
struct ArrV<S>(S);
impl<'de, S, T> Visitor<'de> for ArrV<S>
where
    S: DeserializeSeed<'de, Value = F<T>> + Clone,
{
    type Value = F<Vec<F<T>>>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        // Arrays in records are short (a user's one or two licenses) and stay for the whole
        // run: each is allocated at its length (no room for four elements, as a growing `Vec`
        // starts with, and no second allocation to give it back) unless it is longer than two.
        let Some(first) = seq.next_element_seed(self.0.clone())? else {
            return Ok(F::Val(Vec::new()));
        };
        let Some(second) = seq.next_element_seed(self.0.clone())? else {
            return Ok(F::Val(vec![first]));
        };
        let mut out = Vec::with_capacity(2);
        out.push(first);
        out.push(second);
        while let Some(v) = seq.next_element_seed(self.0.clone())? {
            out.push(v);
        }
        out.shrink_to_fit();
        Ok(F::Val(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let one = self
            .0
            .deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(F::Val(vec![one]))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if looks_like_type_name(v) {
            return Ok(F::invalid(Bad::DepthTruncated(kept(v))));
        }
        // A one-item array of strings written bare.
        let one = self
            .0
            .deserialize(de::value::StrDeserializer::<E>::new(v))?;
        Ok(F::Val(vec![one]))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(F::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(F::Null)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(F::invalid(Bad::WrongType {
            expected: "an array",
            found: "a boolean",
        }))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(F::invalid(Bad::WrongType {
            expected: "an array",
            found: "a number",
        }))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(F::invalid(Bad::WrongType {
            expected: "an array",
            found: "a number",
        }))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(F::invalid(Bad::WrongType {
            expected: "an array",
            found: "a number",
        }))
    }
}

impl Clone for StrSeed {
    fn clone(&self) -> Self {
        StrSeed
    }
}
impl Clone for IdSeed {
    fn clone(&self) -> Self {
        IdSeed
    }
}
impl<T> Clone for ObjSeed<T> {
    fn clone(&self) -> Self {
        ObjSeed::new()
    }
}

/// An object key, ASCII lower-cased into a small inline buffer (no allocation).
pub struct Key {
    buf: [u8; 64],
    len: usize,
}
impl Key {
    pub fn as_bytes(&self) -> &[u8] {
        // Keys longer than the buffer are marked with len = usize::MAX and match nothing.
        if self.len > self.buf.len() {
            b"\xff"
        } else {
            &self.buf[..self.len]
        }
    }
}

pub struct KeySeed;
impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(KeyV)
    }
}
struct KeyV;
impl<'de> Visitor<'de> for KeyV {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        let mut k = Key {
            buf: [0; 64],
            len: 0,
        };
        let b = v.as_bytes();
        if b.len() > k.buf.len() {
            k.len = usize::MAX;
            return Ok(k);
        }
        for (dst, src) in k.buf.iter_mut().zip(b) {
            *dst = src.to_ascii_lowercase();
        }
        k.len = b.len();
        Ok(k)
    }
}

#[cfg(test)]
mod tests {
    use super::Str;

    #[test]
    fn str_round_trips_inline_and_on_the_heap() {
        let guid = "5a1b2c3d-0000-4000-8000-00000000abcd";
        let long = "x".repeat(Str::INLINE + 1);
        let edge = "é".repeat(Str::INLINE / 2); // 38 bytes of two-byte characters
        for s in [
            "",
            "a",
            guid,
            &long,
            &edge,
            "ÉCRAN-01 ✓",
            &"y".repeat(Str::INLINE),
        ] {
            let from_str = Str::from(s);
            let from_string = Str::from(s.to_string());
            for v in [&from_str, &from_string] {
                assert_eq!(&**v, s);
                assert_eq!(v.to_string(), s);
                assert_eq!(format!("{v:?}"), format!("{s:?}"));
            }
            assert_eq!(from_str, from_string);
        }
        assert_ne!(Str::from("a"), Str::from("b"));
        assert_eq!(std::mem::size_of::<super::F<Str>>(), 40);
    }
}
