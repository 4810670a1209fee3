//! Text encodings of exports: UTF-8 with or without BOM, UTF-16 LE/BE with BOM.

use std::borrow::Cow;

pub struct Decoded<'a> {
    /// Valid UTF-8, so the JSON reader need not check each string again.
    pub text: Cow<'a, str>,
    pub encoding: &'static str,
}

/// Archive and compression formats by their magic bytes. Compressed input is not accepted
/// (so a decompression bomb cannot exist): the user extracts the files first.
const COMPRESSED: &[(&[u8], &str)] = &[
    (b"PK\x03\x04", "a ZIP archive"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"PK\x07\x08", "a ZIP archive"),
    (b"\x1F\x8B", "gzip-compressed"),
    (b"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"),
    (b"BZh", "bzip2-compressed"),
    (b"\xFD7zXZ\x00", "xz-compressed"),
    (b"\x28\xB5\x2F\xFD", "zstd-compressed"),
    (b"Rar!\x1A\x07", "a RAR archive"),
];

/// Returns the text (UTF-8), or a message naming the likely cause.
pub fn decode(bytes: &[u8]) -> Result<Decoded<'_>, String> {
    if let Some((_, what)) = COMPRESSED.iter().find(|(m, _)| bytes.starts_with(m)) {
        return Err(format!(
            "the file is {what}, not JSON: compressed input is not accepted; extract it and pass the JSON files it holds"
        ));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        if rest.len() >= 2 && (rest[0] == 0 || rest[1] == 0) {
            return Err("the file starts with a UTF-8 byte-order mark but its text is UTF-16 (NUL bytes follow): re-save it in one encoding (Out-File -Encoding utf8)".into());
        }
        return utf8(rest, "utf-8-bom");
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, true).map(|t| Decoded {
            text: Cow::Owned(t),
            encoding: "utf-16le",
        });
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, false).map(|t| Decoded {
            text: Cow::Owned(t),
            encoding: "utf-16be",
        });
    }
    if bytes.len() >= 4 && (bytes[0] == 0 || bytes[1] == 0) && (bytes[2] == 0 || bytes[3] == 0) {
        return Err("the file looks like UTF-16 without a byte-order mark; save it as UTF-8 (Out-File -Encoding utf8) or UTF-16 with a BOM".into());
    }
    utf8(bytes, "utf-8")
}

fn utf8<'a>(bytes: &'a [u8], encoding: &'static str) -> Result<Decoded<'a>, String> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text: Cow::Borrowed(text),
            encoding,
        }),
        Err(e) => {
            let at = e.valid_up_to();
            let (line, col) = line_col(bytes, at);
            Err(format!(
                "not valid UTF-8 at byte {at} (line {line}, column {col}); the file was probably written in the ANSI code page (Windows PowerShell 5.1 Set-Content / Out-File -Encoding Default) — re-export it with -Encoding utf8"
            ))
        }
    }
}

fn utf16(bytes: &[u8], little: bool) -> Result<String, String> {
    if !bytes.len().is_multiple_of(2) {
        return Err("UTF-16 text with an odd number of bytes: the file is cut off".into());
    }
    let units = bytes.chunks_exact(2).map(|c| {
        if little {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    let mut out = String::with_capacity(bytes.len() / 2 + 16);
    for (i, ch) in char::decode_utf16(units).enumerate() {
        match ch {
            Ok(c) => out.push(c),
            Err(e) => {
                let (line, col) = line_col(out.as_bytes(), out.len());
                return Err(format!(
                    "invalid UTF-16: unpaired surrogate 0x{:04X} at code unit {i} (line {line}, column {col})",
                    e.unpaired_surrogate()
                ));
            }
        }
    }
    Ok(out)
}

pub fn line_col(bytes: &[u8], at: usize) -> (usize, usize) {
    let upto = &bytes[..at.min(bytes.len())];
    let line = upto.iter().filter(|b| **b == b'\n').count() + 1;
    let col = upto.iter().rev().take_while(|b| **b != b'\n').count() + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boms_and_utf16() {
        let d = decode(b"\xEF\xBB\xBF{}").map(|d| (d.text.as_bytes().to_vec(), d.encoding));
        assert_eq!(d.ok(), Some((b"{}".to_vec(), "utf-8-bom")));
        let le: Vec<u8> = [0xFF, 0xFE, b'{', 0, b'}', 0].to_vec();
        assert_eq!(
            decode(&le).map(|d| d.text.as_bytes().to_vec()).ok(),
            Some(b"{}".to_vec())
        );
        let be: Vec<u8> = [0xFE, 0xFF, 0, b'[', 0, b']'].to_vec();
        assert_eq!(
            decode(&be).map(|d| d.text.as_bytes().to_vec()).ok(),
            Some(b"[]".to_vec())
        );
        assert!(decode(b"{\"a\":\"caf\xe9\"}").is_err());
        let lone: Vec<u8> = [0xFF, 0xFE, 0x00, 0xD8, b'x', 0].to_vec();
        assert!(decode(&lone).is_err());
    }

    #[test]
    fn compressed_input_is_named_not_decoded() {
        for (bytes, what) in [
            (&b"PK\x03\x04\x14\x00"[..], "a ZIP archive"),
            (&b"\x1F\x8B\x08\x00"[..], "gzip-compressed"),
        ] {
            let e = decode(bytes).err().unwrap_or_default();
            assert!(
                e.contains(what) && e.contains("compressed input is not accepted"),
                "{e}"
            );
        }
    }
}
