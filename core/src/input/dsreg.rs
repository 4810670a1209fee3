//! `dsregcmd /status` text: `Name : Value` lines inside `+----+` framed blocks.

use crate::model::Dsreg;

fn yes(v: &str) -> Option<bool> {
    match v.trim().to_ascii_uppercase().as_str() {
        "YES" => Some(true),
        "NO" => Some(false),
        _ => None,
    }
}

/// Parses the output; returns `None` when the text has none of the expected fields.
pub fn parse(text: &str) -> Option<Dsreg> {
    let mut d = Dsreg::default();
    let mut seen = false;
    for line in text.lines() {
        let Some((name, value)) = line.split_once(" : ") else {
            continue;
        };
        let name = name.trim();
        let value = value.trim();
        seen |= matches!(
            name,
            "AzureAdJoined"
                | "DomainJoined"
                | "EnterpriseJoined"
                | "DeviceId"
                | "TenantId"
                | "WorkplaceJoined"
        );
        match name {
            "AzureAdJoined" => d.azure_ad_joined = yes(value),
            "DomainJoined" => d.domain_joined = yes(value),
            "EnterpriseJoined" => d.enterprise_joined = yes(value),
            "WorkplaceJoined" => d.workplace_joined = yes(value),
            "DeviceId" if !value.is_empty() => {
                d.device_id = Some(value.to_ascii_lowercase().into())
            }
            "DeviceAuthStatus" => d.device_auth_status = Some(value.into()),
            "TenantId" if !value.is_empty() => {
                d.tenant_id = Some(value.to_ascii_lowercase().into())
            }
            "TenantName" => d.tenant_name = Some(value.into()),
            _ => {}
        }
    }
    seen.then_some(d)
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_device_state_and_details() {
        let text = "+----------------------------------------------------------------------+\n| Device State                                                         |\n+----------------------------------------------------------------------+\n\n             AzureAdJoined : YES\n          EnterpriseJoined : NO\n              DomainJoined : YES\n                DomainName : CONTOSO\n\n+----------------------------------------------------------------------+\n| Device Details                                                       |\n+----------------------------------------------------------------------+\n\n                  DeviceId : 5A1B2C3D-0000-4000-8000-00000000ABCD\n          DeviceAuthStatus : SUCCESS\n                  TenantId : 11111111-2222-3333-4444-555555555555\n";
        let d = super::parse(text);
        assert_eq!(d.as_ref().and_then(|d| d.azure_ad_joined), Some(true));
        assert_eq!(d.as_ref().and_then(|d| d.domain_joined), Some(true));
        assert_eq!(
            d.as_ref().and_then(|d| d.device_id.clone()).as_deref(),
            Some("5a1b2c3d-0000-4000-8000-00000000abcd")
        );
        assert!(super::parse("hello").is_none());
    }
}
