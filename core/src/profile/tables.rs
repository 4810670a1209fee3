//! Dated support tables shipped with the rules, each row with its source.

use crate::time::{date, Instant};

/// A Configuration Manager current-branch release.
pub struct CmRelease {
    pub release: &'static str,
    pub build: u32,
    pub available: &'static str,
    pub support_end: &'static str,
    pub source: &'static str,
    pub verified: bool,
}

/// Each current-branch version is supported 18 months from general availability
/// (memdocs `configmgr/core/servers/manage/current-branch-versions-supported.md`).
pub const CONFIGMGR: &[CmRelease] = &[
    CmRelease { release: "2002", build: 9012, available: "2020-04-01", support_end: "2021-10-01", source: "18-month rule from memdocs updates.md (2020 release date)", verified: false },
    CmRelease { release: "2006", build: 9021, available: "2020-08-11", support_end: "2022-02-11", source: "18-month rule from memdocs updates.md (2020 release date)", verified: false },
    CmRelease { release: "2010", build: 9031, available: "2020-11-30", support_end: "2022-05-30", source: "18-month rule from memdocs updates.md (2020 release date)", verified: false },
    CmRelease { release: "2103", build: 9049, available: "2021-04-05", support_end: "2022-10-05", source: "memdocs updates.md (2022 revision)", verified: true },
    CmRelease { release: "2107", build: 9058, available: "2021-08-02", support_end: "2023-02-02", source: "memdocs updates.md (2022 revision)", verified: true },
    CmRelease { release: "2111", build: 9068, available: "2021-12-01", support_end: "2023-06-01", source: "memdocs updates.md (2022 revision)", verified: true },
    CmRelease { release: "2203", build: 9078, available: "2022-04-08", support_end: "2023-10-06", source: "memdocs updates.md (2022 revision)", verified: true },
    CmRelease { release: "2207", build: 9088, available: "2022-08-01", support_end: "2024-02-01", source: "memdocs updates.md (2022 revision) prints 2023-02-01, taken as a doc error; the 18-month rule gives 2024-02-01", verified: false },
    CmRelease { release: "2211", build: 9096, available: "2022-12-05", support_end: "2024-06-05", source: "build from community scripts; dates from the 18-month rule", verified: false },
    CmRelease { release: "2303", build: 9106, available: "2023-04-10", support_end: "2024-10-10", source: "build from community scripts; dates from the 18-month rule", verified: false },
    CmRelease { release: "2309", build: 9122, available: "2023-10-09", support_end: "2025-04-09", source: "PDF capture of memdocs updates.md", verified: true },
    CmRelease { release: "2403", build: 9128, available: "2024-04-22", support_end: "2025-10-22", source: "PDF capture of memdocs updates.md", verified: true },
    CmRelease { release: "2409", build: 9132, available: "2024-12-04", support_end: "2026-06-04", source: "PDF capture of memdocs updates.md", verified: true },
    CmRelease { release: "2503", build: 9135, available: "2025-03-31", support_end: "2026-09-30", source: "third-party notes (2026)", verified: false },
    CmRelease { release: "2509", build: 9141, available: "2025-11-12", support_end: "2027-05-12", source: "third-party notes (2026)", verified: false },
    CmRelease { release: "2603", build: 9146, available: "2026-05-05", support_end: "2027-11-05", source: "third-party notes (2026)", verified: false },
];

/// Reads a ConfigMgr version as written by admins and tools: `2203`, `5.00.9078.1006`,
/// `5.0.9078`, `9078`. Returns the build number.
pub fn cm_build(text: &str) -> Option<u32> {
    let t = text.trim();
    if let Some(r) = CONFIGMGR.iter().find(|r| r.release == t) {
        return Some(r.build);
    }
    let parts: Vec<&str> = t.split('.').collect();
    match parts.len() {
        1 => t.parse().ok().filter(|b| *b > 7000),
        _ => parts.get(2).and_then(|b| b.parse().ok()),
    }
}

/// The release a build belongs to (the newest release whose build is ≤ it).
pub fn cm_release(build: u32) -> Option<&'static CmRelease> {
    CONFIGMGR
        .iter()
        .filter(|r| r.build <= build)
        .max_by_key(|r| r.build)
}

/// An Azure AD Connect / Entra Connect Sync release with its end of support.
pub struct SyncRelease {
    pub version: &'static str,
    pub released: &'static str,
    pub support_end: Option<&'static str>,
    pub source: &'static str,
    pub verified: bool,
}

/// All 1.x versions retired on this date (azure-docs whatis-azure-ad-connect-v2.md).
pub const SYNC_V1_RETIRED: &str = "2022-08-31";
/// Since this date a 2.x version retires 12 months after a newer version is released.
pub const SYNC_POLICY_SINCE: &str = "2023-03-15";

pub const SYNC: &[SyncRelease] = &[
    SyncRelease { version: "2.0.28.0", released: "2021-09-30", support_end: None, source: "azure-docs reference-connect-version-history.md (revision ms.date 7/6/2022); 12-month rule", verified: true },
    SyncRelease { version: "2.0.88.0", released: "2021-12-15", support_end: None, source: "azure-docs reference-connect-version-history.md (revision ms.date 7/6/2022); 12-month rule", verified: true },
    SyncRelease { version: "2.0.89.0", released: "2021-12-22", support_end: None, source: "azure-docs reference-connect-version-history.md (revision ms.date 7/6/2022); 12-month rule", verified: true },
    SyncRelease { version: "2.0.91.0", released: "2022-01-19", support_end: None, source: "azure-docs reference-connect-version-history.md (revision ms.date 7/6/2022); 12-month rule", verified: true },
    SyncRelease { version: "2.1.1.0", released: "2022-03-24", support_end: None, source: "azure-docs reference-connect-version-history.md (revision ms.date 7/6/2022); 12-month rule", verified: true },
    SyncRelease { version: "2.1.15.0", released: "2022-07-06", support_end: None, source: "azure-docs reference-connect-version-history.md (revision ms.date 7/6/2022); 12-month rule", verified: true },
    SyncRelease { version: "2.1.16.0", released: "2022-08-02", support_end: None, source: "azure-docs reference-connect-version-history.md; 12-month rule", verified: true },
    SyncRelease { version: "2.1.18.0", released: "2022-10-05", support_end: None, source: "azure-docs reference-connect-version-history.md; 12-month rule", verified: true },
    SyncRelease { version: "2.1.19.0", released: "2022-11-02", support_end: None, source: "azure-docs reference-connect-version-history.md; 12-month rule", verified: true },
    SyncRelease { version: "2.1.20.0", released: "2022-11-09", support_end: None, source: "azure-docs reference-connect-version-history.md; 12-month rule", verified: true },
    SyncRelease {
        version: "2.2.1.0",
        released: "2023-06-19",
        support_end: Some("2024-10-11"),
        source: "entra-docs reference-connect-version-history.md",
        verified: true,
    },
    SyncRelease {
        version: "2.2.8.0",
        released: "2023-10-11",
        support_end: Some("2024-12-12"),
        source: "entra-docs reference-connect-version-history.md",
        verified: true,
    },
    SyncRelease {
        version: "2.3.2.0",
        released: "2023-12-12",
        support_end: Some("2025-02-21"),
        source: "entra-docs reference-connect-version-history.md",
        verified: true,
    },
    SyncRelease {
        version: "2.3.6.0",
        released: "2024-02-21",
        support_end: Some("2025-04-01"),
        source: "entra-docs reference-connect-version-history.md",
        verified: true,
    },
    SyncRelease {
        version: "2.3.8.0",
        released: "2024-04-01",
        support_end: Some("2025-07-15"),
        source: "entra-docs: 12 months after 2.3.20.0",
        verified: false,
    },
    SyncRelease {
        version: "2.3.20.0",
        released: "2024-07-15",
        support_end: Some("2025-04-30"),
        source: "third-party scripts (2026): all 2.3.x end 2025-04-30",
        verified: false,
    },
    SyncRelease {
        version: "2.4.18.0",
        released: "2024-10-09",
        support_end: Some("2025-10-09"),
        source: "third-party scripts (2026)",
        verified: false,
    },
    SyncRelease {
        version: "2.4.21.0",
        released: "2024-11-15",
        support_end: Some("2025-11-15"),
        source: "third-party scripts (2026)",
        verified: false,
    },
    SyncRelease {
        version: "2.4.27.0",
        released: "2025-01-15",
        support_end: Some("2026-01-15"),
        source: "third-party scripts (2026)",
        verified: false,
    },
    SyncRelease {
        version: "2.4.129.0",
        released: "2025-03-27",
        support_end: Some("2026-03-27"),
        source: "third-party scripts (2026)",
        verified: false,
    },
    SyncRelease {
        version: "2.4.131.0",
        released: "2025-05-26",
        support_end: Some("2026-05-26"),
        source: "third-party scripts (2026)",
        verified: false,
    },
    SyncRelease {
        version: "2.5.3.0",
        released: "2025-07-31",
        support_end: Some("2026-07-31"),
        source: "third-party scripts (2026)",
        verified: false,
    },
    SyncRelease {
        version: "2.5.76.0",
        released: "2025-09-01",
        support_end: Some("2026-09-01"),
        source: "third-party scripts (2026)",
        verified: false,
    },
    SyncRelease {
        version: "2.5.79.0",
        released: "2025-10-23",
        support_end: Some("2026-10-23"),
        source: "third-party scripts (2026)",
        verified: false,
    },
    SyncRelease {
        version: "2.5.190.0",
        released: "2026-02-02",
        support_end: Some("2027-02-02"),
        source: "third-party scripts (2026)",
        verified: false,
    },
    SyncRelease {
        version: "2.6.1.0",
        released: "2026-03-10",
        support_end: Some("2027-03-10"),
        source: "third-party scripts (2026)",
        verified: false,
    },
];

/// The support state of a sync client version at an instant.
#[derive(Debug, PartialEq, Eq)]
pub enum SyncSupport {
    Retired(String),
    Outdated(String),
    Latest,
}

pub fn sync_support(version: &str, as_of: Instant) -> SyncSupport {
    use crate::util::cmp_versions;
    use std::cmp::Ordering;
    let major = version
        .trim()
        .split('.')
        .next()
        .and_then(|m| m.parse::<u32>().ok())
        .unwrap_or(0);
    if major < 2 {
        if as_of > date(SYNC_V1_RETIRED) {
            return SyncSupport::Retired(format!(
                "all 1.x versions were retired on {SYNC_V1_RETIRED}"
            ));
        }
        return SyncSupport::Outdated("1.x versions retire on 2022-08-31; upgrade to 2.x".into());
    }
    if let Some(row) = SYNC
        .iter()
        .find(|r| cmp_versions(r.version, version) == Ordering::Equal)
    {
        if let Some(end) = row.support_end {
            if as_of > date(end) && date(row.released) <= as_of {
                return SyncSupport::Retired(format!(
                    "{} reached end of support on {end} ({})",
                    row.version, row.source
                ));
            }
        }
    }
    let newer: Vec<&SyncRelease> = SYNC
        .iter()
        .filter(|r| {
            cmp_versions(r.version, version) == Ordering::Greater && date(r.released) <= as_of
        })
        .collect();
    if let Some(first) = newer.iter().min_by_key(|r| date(r.released)) {
        let retire = crate::time::add_years(date(first.released), 1).0;
        if as_of.0 > retire && as_of >= date(SYNC_POLICY_SINCE) {
            return SyncSupport::Retired(format!(
                "{} was released on {}; versions retire 12 months after a newer one is released",
                first.version, first.released
            ));
        }
        let latest = newer
            .iter()
            .max_by(|a, b| cmp_versions(a.version, b.version))
            .map(|r| r.version)
            .unwrap_or("");
        return SyncSupport::Outdated(format!("{latest} is the latest version known on this date"));
    }
    SyncSupport::Latest
}

/// A display name for an OperatingSystemSKU number.
pub fn edition_name(sku: i64) -> &'static str {
    match sku {
        4 => "Enterprise",
        27 => "Enterprise N",
        48 => "Pro",
        49 => "Pro N",
        70 => "Enterprise E",
        72 => "Enterprise Evaluation",
        84 => "Enterprise N Evaluation",
        101 => "Home",
        98 => "Home N",
        99 => "Home China",
        100 => "Home Single Language",
        121 => "Education",
        122 => "Education N",
        125 => "Enterprise LTSC",
        126 => "Enterprise N LTSC",
        129 => "Enterprise LTSC Evaluation",
        130 => "Enterprise N LTSC Evaluation",
        161 => "Pro for Workstations",
        162 => "Pro for Workstations N",
        164 => "Pro Education",
        165 => "Pro Education N",
        175 => "Enterprise multi-session",
        188 => "IoT Enterprise",
        191 => "IoT Enterprise LTSC",
        7 | 8 | 10 | 12 | 13 | 14 | 42 => "Windows Server",
        _ => "an unrecognised edition",
    }
}

/// Maps a Graph beta `skuFamily` text to an OperatingSystemSKU-like number, when it can.
pub fn sku_from_family(family: &str) -> Option<i64> {
    let f = family.to_ascii_lowercase();
    if f.contains("iot") {
        return Some(if f.contains("ltsc") { 191 } else { 188 });
    }
    if f.contains("enterprise") {
        if f.contains("ltsc") || f.contains("ltsb") {
            return Some(125);
        }
        if f.contains("multi") || f.contains("virtual") {
            return Some(175);
        }
        return Some(4);
    }
    if f.contains("workstation") {
        return Some(161);
    }
    if f.contains("education") {
        return Some(if f.contains("pro") { 164 } else { 121 });
    }
    if f.contains("pro") {
        return Some(48);
    }
    if f.contains("home") || f.contains("core") {
        return Some(101);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configmgr_versions() {
        assert_eq!(cm_build("2203"), Some(9078));
        assert_eq!(cm_build("5.00.9078.1006"), Some(9078));
        assert_eq!(cm_release(9079).map(|r| r.release), Some("2203"));
    }

    #[test]
    fn sync_support_by_date() {
        assert!(matches!(
            sync_support("1.6.16.0", date("2022-09-15")),
            SyncSupport::Retired(_)
        ));
        assert!(matches!(
            sync_support("1.6.16.0", date("2022-06-15")),
            SyncSupport::Outdated(_)
        ));
        assert_eq!(
            sync_support("2.1.1.0", date("2022-06-15")),
            SyncSupport::Latest
        );
        assert!(matches!(
            sync_support("2.2.1.0", date("2024-11-01")),
            SyncSupport::Retired(_)
        ));
    }
}
