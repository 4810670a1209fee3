//! The license table: SKU and service-plan GUIDs that grant each entitlement, read from
//! `core/data/licensing.csv` (a copy of the project's reference table; every row names its
//! source: `MSCSV-2025` = Microsoft's "Product names and service plan identifiers for
//! licensing" CSV, `AP-PREREQ` = the Autopatch prerequisites page's SKU table).
//! Products are always matched by GUID, never by display name.

/// A product family, derived from the product's display name in the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Family {
    M365E3,
    M365E5,
    WinE3,
    WinE5,
    M365A3,
    M365A5,
    WinA3,
    WinA5,
    M365F3,
    BusinessPremium,
    Other,
}

impl Family {
    fn of(product: &str) -> Family {
        let p = product.trim_start_matches("TEST - ");
        if p.starts_with("Microsoft 365 E3") {
            Family::M365E3
        } else if p.starts_with("Microsoft 365 E5") {
            Family::M365E5
        } else if p.starts_with("Windows 10/11 Enterprise E3") {
            Family::WinE3
        } else if p.starts_with("Windows 10/11 Enterprise E5") {
            Family::WinE5
        } else if p.starts_with("Microsoft 365 A3") {
            Family::M365A3
        } else if p.starts_with("Microsoft 365 A5") {
            Family::M365A5
        } else if p.starts_with("Windows 10/11 Enterprise A3") {
            Family::WinA3
        } else if p.starts_with("Windows 10/11 Enterprise A5") {
            Family::WinA5
        } else if p.starts_with("Microsoft 365 F3") {
            Family::M365F3
        } else if p.starts_with("Microsoft 365 Business Premium") {
            Family::BusinessPremium
        } else {
            Family::Other
        }
    }
}

#[derive(Debug, Clone)]
pub struct Row {
    pub product: String,
    pub part_number: std::rc::Rc<str>,
    pub sku: String,
    pub plan_name: String,
    pub plan: String,
    pub role: String,
    pub source: String,
    pub family: Family,
}

pub const CSV: &str = include_str!("../../data/licensing.csv");

/// Splits one CSV line (the table has no quoted fields; a quoted field is kept verbatim).
fn split(line: &str) -> Vec<&str> {
    line.split(',').map(str::trim).collect()
}

/// Every well-formed row of the table.
pub fn rows() -> Vec<Row> {
    CSV.lines()
        .skip(1)
        .filter_map(|line| {
            let f = split(line);
            if f.len() < 7 {
                return None;
            }
            Some(Row {
                product: f[0].to_string(),
                part_number: f[1].into(),
                sku: f[2].to_ascii_lowercase(),
                plan_name: f[3].to_string(),
                plan: f[4].to_ascii_lowercase(),
                role: f[5].to_string(),
                source: f[6..].join(","),
                family: Family::of(f[0]),
            })
        })
        .collect()
}

/// The table as the rules use it, indexed by SKU id (rules look SKUs up once per user
/// licence, millions of times on a large tenant).
pub struct Table {
    pub rows: Vec<Row>,
    by_sku: crate::util::Map<String, Vec<usize>>,
}

impl Table {
    pub fn load() -> Table {
        let rows = rows();
        let mut by_sku: crate::util::Map<String, Vec<usize>> = crate::util::map(rows.len());
        for (i, r) in rows.iter().enumerate() {
            by_sku.entry(r.sku.clone()).or_default().push(i);
        }
        Table { rows, by_sku }
    }
    /// The rows of one SKU, in table order.
    fn of_sku<'a>(&'a self, sku: &str) -> impl Iterator<Item = &'a Row> + 'a {
        self.by_sku
            .get(sku)
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .filter_map(|&i| self.rows.get(i))
    }
    /// The product row of an entitling SKU under a profile.
    pub fn entitling(&self, sku: &str, families: &[Family]) -> Option<&Row> {
        self.of_sku(sku).find(|r| families.contains(&r.family))
    }
    /// Service plans of a SKU with a role (`windows-enterprise-entitlement`, `autopatch-plan`).
    pub fn plans_of<'a>(
        &'a self,
        sku: &'a str,
        role: &'a str,
    ) -> impl Iterator<Item = &'a str> + 'a {
        self.of_sku(sku)
            .filter(move |r| r.role == role)
            .map(|r| r.plan.as_str())
    }
    /// Whether a service plan GUID has a role (`entra-id-p1`, `entra-id-p2`, `intune`).
    pub fn plan_has_role(&self, plan: &str, roles: &[&str]) -> bool {
        self.rows
            .iter()
            .any(|r| r.plan == plan && roles.contains(&r.role.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_parses_and_has_a_source() {
        let n = CSV.lines().skip(1).filter(|l| !l.trim().is_empty()).count();
        let rows = rows();
        assert_eq!(rows.len(), n);
        assert!(rows.iter().all(|r| r.sku.len() == 36
            && (r.plan.len() == 36 || r.plan.is_empty())
            && !r.source.is_empty()));
    }

    #[test]
    fn spe_e3_entitles_under_2022_05_and_business_premium_does_not() {
        let t = Table::load();
        let fam = crate::profile::P2022_05.entitling_families;
        assert!(t
            .entitling("05e9a617-0261-4cee-bb44-138d3ef5d965", fam)
            .is_some());
        assert!(t
            .entitling("cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46", fam)
            .is_none());
        assert!(t.plan_has_role("41781fb2-bc02-4b7c-bd55-b576c07bb09d", &["entra-id-p1"]));
    }
}
