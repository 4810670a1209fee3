"""Shared builders for the apready test data generators.

Everything here is deterministic: ids are UUIDv5 of a readable name, times are offsets from a fixed
instant, and JSON is written with a fixed key order. Run the generators with any Python 3.8+;
they only use the standard library.

The shapes follow ../../../../shared/reference/graph-evidence.md (raw Graph v1.0 / beta pages as
Graph returns them: "@odata.context" first, then "@odata.nextLink" when there are more pages, then
"value"; lowercase GUIDs; timestamps with "Z" and 0 or 7 fractional digits).
"""

import json
import os
import uuid
from collections import OrderedDict
from datetime import datetime, timedelta, timezone

UTC = timezone.utc
AS_OF = datetime(2022, 6, 15, 0, 0, 0, tzinfo=UTC)
AS_OF_STR = "2022-06-15T00:00:00Z"
NEVER = "0001-01-01T00:00:00Z"
ZERO_GUID = "00000000-0000-0000-0000-000000000000"

GRAPH = "https://graph.microsoft.com"
INTUNE_MDM_APP_ID = "0000000a-0000-0000-c000-000000000000"

_NS = uuid.UUID("7f0c2a52-3b6e-4c44-9a57-2f4f3f7e9a10")


def gid(*parts):
    """A stable lowercase GUID for a readable name."""
    return str(uuid.uuid5(_NS, "/".join(parts)))


def ts(dt, frac=None):
    """Graph timestamp. frac=None: '2022-05-30T08:12:44Z'; frac=int: 7 fractional digits."""
    dt = dt.astimezone(UTC)
    base = dt.strftime("%Y-%m-%dT%H:%M:%S")
    if frac is None:
        return base + "Z"
    return "%s.%07dZ" % (base, frac)


def ago(days=0, hours=0, minutes=0, seconds=0, base=None):
    return (base or AS_OF) - timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


def ms_epoch(dt):
    """Milliseconds since the Unix epoch (Windows PowerShell 5.1 '\\/Date(ms)\\/' encoding)."""
    return int((dt - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds() * 1000)


# --------------------------------------------------------------------------- contexts and pages

def context(entity_set, api="v1.0", select=None, entity=False, host=GRAPH):
    c = "%s/%s/$metadata#%s" % (host, api, entity_set)
    if select:
        c += "(" + ",".join(select) + ")"
    if entity:
        c += "/$entity"
    return c


def page(ctx, value, next_link=None, extra=None):
    p = OrderedDict()
    p["@odata.context"] = ctx
    if extra:
        for k, v in extra.items():
            p[k] = v
    if next_link:
        p["@odata.nextLink"] = next_link
    p["value"] = value
    return p


def md_next_link(api, top, last_name, last_id, select=None, host=GRAPH):
    """Intune-style skiptoken (LastDeviceName / LastDeviceId, URL-encoded)."""
    q = "$top=%d" % top
    if select:
        q = "$select=" + ",".join(select) + "&" + q
    token = "LastDeviceName%%3d%%27%s%%27%%2cLastDeviceId%%3d%%27%s%%27" % (last_name, last_id)
    return "%s/%s/deviceManagement/managedDevices?%s&$skiptoken=%s" % (host, api, q, token)


def dir_next_link(resource, token, select=None, top=None, host=GRAPH, api="v1.0"):
    """Directory-style opaque skiptoken."""
    parts = []
    if select:
        parts.append("$select=" + ",".join(select))
    if top:
        parts.append("$top=%d" % top)
    parts.append("$skiptoken=" + token)
    return "%s/%s/%s?%s" % (host, api, resource, "&".join(parts))


# --------------------------------------------------------------------------- writing

def dumps(obj, style="pretty"):
    if style == "compact":
        return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)
    if style == "pretty4":
        return json.dumps(obj, indent=4, ensure_ascii=False)
    return json.dumps(obj, indent=2, ensure_ascii=False)


def write_bytes(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def write_json(path, obj, style="pretty"):
    text = dumps(obj, style)
    if not text.endswith("\n"):
        text += "\n"
    write_bytes(path, text.encode("utf-8"))


# --------------------------------------------------------------------------- Intune managedDevice

def managed_device_name(upn, when):
    """Intune's generated managedDeviceName: '<upn prefix>_Windows_<M/D/YYYY>_<h:mm AM|PM>'."""
    prefix = (upn.split("@")[0] if upn else "") or "userless"
    hour = when.hour % 12 or 12
    ampm = "AM" if when.hour < 12 else "PM"
    return "%s_Windows_%d/%d/%d_%d:%02d %s" % (prefix, when.month, when.day, when.year, hour, when.minute, ampm)


FEATURES_V1 = ("inventory", "modernApps", "resourceAccess", "deviceConfiguration", "compliancePolicy",
               "windowsUpdateForBusiness")
FEATURES_BETA = FEATURES_V1 + ("endpointProtection", "officeApps")


def features_v1(wu=True, dc=True, others=True):
    f = OrderedDict()
    f["inventory"] = others
    f["modernApps"] = others
    f["resourceAccess"] = others
    f["deviceConfiguration"] = dc
    f["compliancePolicy"] = others
    f["windowsUpdateForBusiness"] = wu
    return f


def features_beta(wu=True, dc=True, office=True, others=True):
    f = features_v1(wu=wu, dc=dc, others=others)
    f["endpointProtection"] = others
    f["officeApps"] = office
    return f


def md_v1(d):
    """A v1.0 managedDevice as the unselected LIST returns it (many fields are noise)."""
    user = d.get("user")
    upn = user["upn"] if user else ""
    enrolled = d["enrolled"]
    r = OrderedDict()
    r["id"] = d["id"]
    r["userId"] = user["id"] if user else ""
    r["deviceName"] = d["name"]
    r["managedDeviceOwnerType"] = d.get("owner", "company")
    r["enrolledDateTime"] = ts(enrolled)
    r["lastSyncDateTime"] = d["last_sync"]
    r["operatingSystem"] = d.get("os", "Windows")
    r["complianceState"] = d.get("compliance", "compliant")
    r["jailBroken"] = "Unknown"
    r["managementAgent"] = d.get("agent", "mdm")
    r["osVersion"] = d.get("os_version", "10.0.19044.1706")
    r["easActivated"] = False
    r["easDeviceId"] = ""
    r["easActivationDateTime"] = NEVER
    r["azureADRegistered"] = d.get("aad_registered", True)
    r["deviceEnrollmentType"] = d.get("enrollment_type", "windowsAzureADJoin")
    r["activationLockBypassCode"] = None
    r["emailAddress"] = user["mail"] if user else ""
    r["azureADDeviceId"] = d["aad_id"]
    r["deviceRegistrationState"] = "registered"
    r["deviceCategoryDisplayName"] = "Unknown"
    r["isSupervised"] = False
    r["exchangeLastSuccessfulSyncDateTime"] = NEVER
    r["exchangeAccessState"] = "none"
    r["exchangeAccessStateReason"] = "none"
    r["remoteAssistanceSessionUrl"] = ""
    r["remoteAssistanceSessionErrorDetails"] = ""
    r["isEncrypted"] = d.get("encrypted", True)
    r["userPrincipalName"] = upn
    r["model"] = d.get("model", "Latitude 7420")
    r["manufacturer"] = d.get("manufacturer", "Dell Inc.")
    r["imei"] = ""
    r["complianceGracePeriodExpirationDateTime"] = "9999-12-31T23:59:59Z"
    r["serialNumber"] = d.get("serial", "")
    r["phoneNumber"] = ""
    r["androidSecurityPatchLevel"] = ""
    r["userDisplayName"] = user["display"] if user else ""
    r["configurationManagerClientEnabledFeatures"] = d.get("features_v1")
    r["wiFiMacAddress"] = d.get("wifi_mac", "")
    r["deviceHealthAttestationState"] = None
    r["subscriberCarrier"] = ""
    r["meid"] = ""
    r["totalStorageSpaceInBytes"] = d.get("storage_total", 254721359872)
    r["freeStorageSpaceInBytes"] = d.get("storage_free", 131084550144)
    r["managedDeviceName"] = managed_device_name(upn, enrolled)
    r["partnerReportedThreatState"] = "unknown"
    r["requireUserEnrollmentApproval"] = None
    r["managementCertificateExpirationDate"] = ts(enrolled + timedelta(days=365))
    r["iccid"] = None
    r["udid"] = None
    r["notes"] = None
    r["ethernetMacAddress"] = None
    r["physicalMemoryInBytes"] = 0
    r["enrollmentProfileName"] = d.get("enrollment_profile")
    r["deviceActionResults"] = []
    return r


BETA_SELECT = ["id", "deviceName", "operatingSystem", "managementAgent", "joinType", "skuNumber",
               "processorArchitecture", "configurationManagerClientEnabledFeatures",
               "configurationManagerClientInformation", "configurationManagerClientHealthState",
               "autopilotEnrolled", "managementFeatures"]


def md_beta(d):
    """The beta record of the same device, as returned with $select=BETA_SELECT."""
    r = OrderedDict()
    r["id"] = d["id"]
    r["deviceName"] = d["name"]
    r["operatingSystem"] = d.get("os", "Windows")
    r["managementAgent"] = d.get("agent", "mdm")
    r["joinType"] = d.get("join_type", "azureADJoined")
    r["skuNumber"] = d.get("sku", 4)
    r["processorArchitecture"] = d.get("arch", "x64")
    r["configurationManagerClientEnabledFeatures"] = d.get("features_beta")
    cm_version = d.get("cm_client_version")
    if cm_version:
        info = OrderedDict()
        info["clientIdentifier"] = "GUID:" + gid("ccm", d["name"]).upper()
        info["isBlocked"] = False
        info["clientVersion"] = cm_version
        r["configurationManagerClientInformation"] = info
        health = OrderedDict()
        health["state"] = "healthy"
        health["errorCode"] = 0
        health["lastSyncDateTime"] = d["last_sync"]
        r["configurationManagerClientHealthState"] = health
    else:
        r["configurationManagerClientInformation"] = None
        health = OrderedDict()
        health["state"] = "unknown"
        health["errorCode"] = 0
        health["lastSyncDateTime"] = NEVER
        r["configurationManagerClientHealthState"] = health
    r["autopilotEnrolled"] = d.get("autopilot", False)
    r["managementFeatures"] = "none"
    return r


# --------------------------------------------------------------------------- Entra device

def physical_ids(name, device_id, trust):
    h = gid("hwid", name).replace("-", "")
    ids = []
    if trust != "ServerAd":
        ids.append("[USER-GID]:%s:%s" % (gid("usergid", name), "6966" + h[:12]))
    ids.append("[GID]:g:%s" % ("6966" + device_id.replace("-", "")[:12]))
    ids.append("[USER-HWID]:%s:%s" % (gid("userhwid", name), "6755" + h[12:24]))
    ids.append("[HWID]:h:%s" % ("6755" + h[12:24]))
    if trust == "AzureAd":
        ids.append("[ZTDID]:%s" % gid("ztdid", name))
    return ids


def entra_device(e):
    """A v1.0 Entra device as the unselected LIST returns it."""
    r = OrderedDict()
    r["id"] = e.get("object_id") or gid("entra-object", e["device_id"])
    r["deletedDateTime"] = None
    r["accountEnabled"] = e.get("enabled", True)
    r["approximateLastSignInDateTime"] = e.get("last_signin")
    r["complianceExpirationDateTime"] = None
    r["createdDateTime"] = e.get("registered")
    r["deviceCategory"] = None
    r["deviceId"] = e["device_id"]
    r["deviceMetadata"] = None
    r["deviceOwnership"] = e.get("ownership", "Company" if e.get("managed", True) else None)
    r["deviceVersion"] = 2
    r["displayName"] = e["name"]
    r["domainName"] = None
    r["enrollmentProfileName"] = None
    r["enrollmentType"] = e.get("enrollment_type", "AzureDomainJoined" if e.get("managed", True) else None)
    r["externalSourceName"] = None
    r["isCompliant"] = e.get("compliant", True if e.get("managed", True) else None)
    r["isManaged"] = e.get("managed", True)
    r["isRooted"] = False
    r["managementType"] = e.get("management_type", "MDM" if e.get("managed", True) else None)
    r["manufacturer"] = e.get("manufacturer", "Dell Inc.")
    r["mdmAppId"] = INTUNE_MDM_APP_ID if e.get("managed", True) else None
    r["model"] = e.get("model", "Latitude 7420")
    r["onPremisesLastSyncDateTime"] = e.get("onprem_last_sync")
    r["onPremisesSyncEnabled"] = True if e.get("trust") == "ServerAd" else None
    r["operatingSystem"] = e.get("os", "Windows")
    r["operatingSystemVersion"] = e.get("os_version", "10.0.19044.1706")
    r["physicalIds"] = e.get("physical_ids") if "physical_ids" in e else physical_ids(e["name"], e["device_id"], e.get("trust"))
    r["profileType"] = e.get("profile_type", "RegisteredDevice")
    r["registrationDateTime"] = e.get("registered")
    r["sourceType"] = None
    r["systemLabels"] = []
    r["trustType"] = e.get("trust", "AzureAd")
    ext = OrderedDict(("extensionAttribute%d" % i, None) for i in range(1, 16))
    r["extensionAttributes"] = ext
    alt = OrderedDict()
    alt["type"] = 2
    alt["identityProvider"] = None
    alt["key"] = "WAA1ADAAOQA6AD" + gid("altsec", e["device_id"]).replace("-", "")[:24].upper()
    r["alternativeSecurityIds"] = [alt]
    return r


# --------------------------------------------------------------------------- users and licenses

USER_SELECT = ["id", "displayName", "userPrincipalName", "userType", "accountEnabled", "mail",
               "usageLocation", "assignedLicenses", "licenseAssignmentStates"]


def lic(sku, disabled=(), group=None, state="Active", error="None"):
    return {"sku": sku, "disabled": list(disabled), "group": group, "state": state, "error": error}


def user(u):
    """A v1.0 user with $select=USER_SELECT. u['licenses'] is a list of lic(...)."""
    r = OrderedDict()
    r["id"] = u["id"]
    r["displayName"] = u["display"]
    r["userPrincipalName"] = u["upn"]
    r["userType"] = u.get("type", "Member")
    r["accountEnabled"] = u.get("enabled", True)
    r["mail"] = u.get("mail", u["upn"])
    r["usageLocation"] = u.get("usage_location", "CH")
    assigned = []
    states = []
    for l in u.get("licenses", []):
        if l["state"] in ("Active", "ActiveWithError"):
            a = OrderedDict()
            a["disabledPlans"] = l["disabled"]
            a["skuId"] = l["sku"]
            assigned.append(a)
        s = OrderedDict()
        s["assignedByGroup"] = l["group"]
        s["state"] = l["state"]
        s["error"] = l["error"]
        s["skuId"] = l["sku"]
        s["disabledPlans"] = l["disabled"]
        states.append(s)
    if "assigned_override" in u:
        assigned = u["assigned_override"]
    r["assignedLicenses"] = assigned
    if u.get("omit_states"):
        pass
    else:
        r["licenseAssignmentStates"] = states
    return r


# --------------------------------------------------------------------------- SKUs

# SKU and service-plan GUIDs: ../../../../shared/reference/licensing.csv unless marked otherwise.
SPE_E3 = "05e9a617-0261-4cee-bb44-138d3ef5d965"
SPE_E5 = "06ebc4ee-1bb5-47dd-8120-11324bc54e06"
WIN10_VDA_E3 = "6a0f6da5-0b87-4190-a6ae-9bb5a2b9546a"
SPB = "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46"              # Business Premium: `current` only
EMS_E3 = "efccb6f7-5641-4e0e-bd10-b4976e1bf68e"
AAD_PREMIUM_SKU = "078d2b04-f1bd-4111-bbd4-b4b1b354cef4"
AAD_PREMIUM_P2_SKU = "84a661c4-e949-4bd2-a560-ed7766fcaf2b"
INTUNE_A_SKU = "061f9ace-7d42-4136-88ac-31dc755f143f"
# `current` only (Prerequisites 2025-03-31: F3, Education A3/A5); rows of licensing.csv:
SPE_F1 = "66b55226-6b4f-492c-910c-a3b7a3c9d993"            # Microsoft 365 F3
M365EDU_A3_FACULTY = "4b590615-0888-425a-a965-b3bf7789848d"  # Microsoft 365 A3 for Faculty
M365EDU_A5_STUDENT = "46c119d4-0379-4a9d-85e4-97c66d3f909e"  # Microsoft 365 A5 for Students
# Not in licensing.csv (non-entitling products; GUIDs from Microsoft's "Product names and service
# plan identifiers for licensing" table):
STANDARDPACK = "18181a46-0d4e-45cd-891e-60aabd171b4e"     # Office 365 E1
FLOW_FREE = "f30db892-07e9-47e9-837c-80727f46fd3d"        # Power Automate Free
POWER_BI_STANDARD = "a403ebcc-fae0-4ca2-8c8c-7a907fd6c235"  # Power BI (free)

# service plans
P_WIN_ENT = "21b439ba-a0ca-424f-a6cc-52f954a5b111"        # WIN10_PRO_ENT_SUB (windows-enterprise-entitlement)
P_WIN_VDA = "e7c91390-7625-45be-94e0-e16907e03118"        # Virtualization Rights for Windows 10 (E3/E5+VDA)
P_AUTOPATCH = "9a6eeb79-0b4b-4bf0-9808-39d99a2cd5a3"      # Windows_Autopatch
P_WUFB_DS = "7bf960f6-2cd9-443a-8046-5dbff9558365"        # WINDOWSUPDATEFORBUSINESS_DEPLOYMENTSERVICE
P_AAD_P1 = "41781fb2-bc02-4b7c-bd55-b576c07bb09d"         # AAD_PREMIUM
P_AAD_P2 = "eec0eb4f-6444-4f95-aba0-50c24d67f998"         # AAD_PREMIUM_P2
P_INTUNE = "c1ec4a95-1f05-45b3-a911-aa3fa01094f5"         # INTUNE_A
P_WINBIZ = "8e229017-d77b-43d5-9305-903395523b99"
P_INTUNE_SMBIZ = "8e9ff0ff-aa7a-4b20-83c1-2f636b600ac2"
P_WIN_ENT_F1 = "e041597c-9c7f-4ed9-99b0-2663301576f7"     # WIN10_ENT_LOC_F1 (windows-enterprise-entitlement of F3)
P_INTUNE_EDU = "da24caf9-af8e-485c-b7c8-e73336da2693"     # INTUNE_EDU
# noise plans (not used by any rule)
P_EXCHANGE_E = "efb87545-963c-4e0d-99df-69c6916d9eb0"     # EXCHANGE_S_ENTERPRISE
P_EXCHANGE_S = "9aaf7827-d63c-4b61-89c3-182f06f82e5c"     # EXCHANGE_S_STANDARD
P_SPO_E = "5dbe027f-2339-4123-9542-606e4d348a72"          # SHAREPOINTENTERPRISE
P_SPO_S = "c7699d2e-19aa-44de-8edf-1736da088ca1"          # SHAREPOINTSTANDARD
P_SPO_WAC = "e95bec33-7c88-4a70-8e19-b10bd9d0c014"        # SHAREPOINTWAC
P_TEAMS = "57ff2da0-773e-42df-b2af-ffb7a2317929"          # TEAMS1
P_OFFICE = "43de0ff5-c92c-492b-9116-175376d08c38"         # OFFICESUBSCRIPTION
P_MFA = "8a256a2b-b617-496d-b51b-e76466e88db0"            # MFA_PREMIUM
P_RMS_E = "bea4c11e-220a-4e6d-8eb8-8ea15d019f90"          # RMS_S_ENTERPRISE
P_RMS_P = "6c57d4b6-3b23-47a5-9bc9-69f17b4947b3"          # RMS_S_PREMIUM
P_MCO = "0feaeb32-d00e-4d66-bd5a-43b5b83db82c"            # MCOSTANDARD
P_FLOW_VIRAL = "50e68c76-46c6-4674-81f9-75456511b170"     # FLOW_P2_VIRAL
P_BI_P0 = "2049e525-b859-401b-b2a0-e0a31c4b1fe4"          # BI_AZURE_P0

PLAN_NAMES = {
    P_WIN_ENT: "WIN10_PRO_ENT_SUB", P_WIN_VDA: "Virtualization Rights for Windows 10 (E3/E5+VDA)",
    P_AUTOPATCH: "Windows_Autopatch", P_WUFB_DS: "WINDOWSUPDATEFORBUSINESS_DEPLOYMENTSERVICE",
    P_AAD_P1: "AAD_PREMIUM", P_AAD_P2: "AAD_PREMIUM_P2", P_INTUNE: "INTUNE_A", P_WINBIZ: "WINBIZ",
    P_INTUNE_SMBIZ: "INTUNE_SMBIZ", P_WIN_ENT_F1: "WIN10_ENT_LOC_F1", P_INTUNE_EDU: "INTUNE_EDU",
    P_EXCHANGE_E: "EXCHANGE_S_ENTERPRISE",
    P_EXCHANGE_S: "EXCHANGE_S_STANDARD", P_SPO_E: "SHAREPOINTENTERPRISE", P_SPO_S: "SHAREPOINTSTANDARD",
    P_SPO_WAC: "SHAREPOINTWAC", P_TEAMS: "TEAMS1", P_OFFICE: "OFFICESUBSCRIPTION", P_MFA: "MFA_PREMIUM",
    P_RMS_E: "RMS_S_ENTERPRISE", P_RMS_P: "RMS_S_PREMIUM", P_MCO: "MCOSTANDARD",
    P_FLOW_VIRAL: "FLOW_P2_VIRAL", P_BI_P0: "BI_AZURE_P0",
}

SKU_PLANS = {
    SPE_E3: [P_WIN_ENT, P_AUTOPATCH, P_WUFB_DS, P_AAD_P1, P_INTUNE, P_MFA, P_RMS_E, P_RMS_P, P_EXCHANGE_E,
             P_SPO_E, P_SPO_WAC, P_TEAMS, P_OFFICE, P_MCO],
    SPE_E5: [P_WIN_ENT, P_AUTOPATCH, P_WUFB_DS, P_AAD_P1, P_AAD_P2, P_INTUNE, P_MFA, P_RMS_E, P_RMS_P,
             P_EXCHANGE_E, P_SPO_E, P_SPO_WAC, P_TEAMS, P_OFFICE, P_MCO],
    WIN10_VDA_E3: [P_WIN_VDA, P_WUFB_DS, P_AUTOPATCH],
    SPB: [P_WINBIZ, P_WUFB_DS, P_AAD_P1, P_INTUNE_SMBIZ, P_INTUNE, P_EXCHANGE_S, P_SPO_S, P_TEAMS, P_OFFICE],
    EMS_E3: [P_AAD_P1, P_INTUNE, P_MFA, P_RMS_P],
    AAD_PREMIUM_SKU: [P_AAD_P1, P_MFA],
    AAD_PREMIUM_P2_SKU: [P_AAD_P1, P_AAD_P2, P_MFA],
    INTUNE_A_SKU: [P_INTUNE],
    STANDARDPACK: [P_EXCHANGE_S, P_SPO_S, P_SPO_WAC, P_TEAMS, P_MCO],
    FLOW_FREE: [P_FLOW_VIRAL],
    POWER_BI_STANDARD: [P_BI_P0],
    SPE_F1: [P_WIN_ENT_F1, P_AUTOPATCH, P_WUFB_DS, P_AAD_P1, P_INTUNE, P_EXCHANGE_S, P_SPO_S, P_TEAMS],
    M365EDU_A3_FACULTY: [P_WIN_VDA, P_WUFB_DS, P_AAD_P1, P_INTUNE, P_INTUNE_EDU, P_EXCHANGE_E, P_SPO_E, P_TEAMS,
                         P_OFFICE],
    M365EDU_A5_STUDENT: [P_WIN_VDA, P_WUFB_DS, P_AAD_P1, P_AAD_P2, P_INTUNE, P_INTUNE_EDU, P_EXCHANGE_E, P_SPO_E,
                         P_TEAMS, P_OFFICE],
}
SKU_PART = {
    SPE_E3: "SPE_E3", SPE_E5: "SPE_E5", WIN10_VDA_E3: "WIN10_VDA_E3", SPB: "SPB", EMS_E3: "EMS",
    AAD_PREMIUM_SKU: "AAD_PREMIUM", AAD_PREMIUM_P2_SKU: "AAD_PREMIUM_P2", INTUNE_A_SKU: "INTUNE_A",
    STANDARDPACK: "STANDARDPACK", FLOW_FREE: "FLOW_FREE", POWER_BI_STANDARD: "POWER_BI_STANDARD",
    SPE_F1: "SPE_F1", M365EDU_A3_FACULTY: "M365EDU_A3_FACULTY", M365EDU_A5_STUDENT: "M365EDU_A5_STUDENT",
}


def sku(tenant_id, sku_id, enabled, consumed, status="Enabled", suspended=0, warning=0, plan_status=None,
        plans=None):
    """A v1.0 subscribedSku. plan_status: {plan guid: provisioningStatus} overrides ('Success' default)."""
    plan_status = plan_status or {}
    r = OrderedDict()
    r["capabilityStatus"] = status
    r["consumedUnits"] = consumed
    r["id"] = "%s_%s" % (tenant_id, sku_id)
    r["skuId"] = sku_id
    r["skuPartNumber"] = SKU_PART[sku_id]
    r["appliesTo"] = "User"
    pu = OrderedDict()
    pu["enabled"] = enabled
    pu["suspended"] = suspended
    pu["warning"] = warning
    pu["lockedOut"] = 0
    r["prepaidUnits"] = pu
    sps = []
    for p in (plans if plans is not None else SKU_PLANS[sku_id]):
        sp = OrderedDict()
        sp["servicePlanId"] = p
        sp["servicePlanName"] = PLAN_NAMES[p]
        sp["provisioningStatus"] = plan_status.get(p, "Success")
        sp["appliesTo"] = "User"
        sps.append(sp)
    r["servicePlans"] = sps
    return r


def skus_page(tenant_id, skus, host=GRAPH):
    return page(context("subscribedSkus", host=host), skus)


# --------------------------------------------------------------------------- organization

ORG_SELECT = ["id", "displayName", "onPremisesSyncEnabled", "onPremisesLastSyncDateTime",
              "mobileDeviceManagementAuthority", "verifiedDomains"]


def organization(tenant_id, name, sync_enabled, last_sync, authority="intune", domains=("contoso.example",),
                 omit_authority=False):
    r = OrderedDict()
    r["id"] = tenant_id
    r["displayName"] = name
    r["onPremisesSyncEnabled"] = sync_enabled
    r["onPremisesLastSyncDateTime"] = last_sync
    if not omit_authority:
        r["mobileDeviceManagementAuthority"] = authority
    vds = []
    for i, d in enumerate(domains):
        vd = OrderedDict()
        vd["capabilities"] = "Email, OfficeCommunicationsOnline" if i else "Email, OfficeCommunicationsOnline, Intune"
        vd["isDefault"] = i == 0
        vd["isInitial"] = d.endswith(".onmicrosoft.com")
        vd["name"] = d
        vd["type"] = "Managed"
        vds.append(vd)
    r["verifiedDomains"] = vds
    return r


def org_page(org, host=GRAPH, select=True):
    sel = ORG_SELECT if select else None
    if select and "mobileDeviceManagementAuthority" not in org:
        sel = [s for s in ORG_SELECT if s != "mobileDeviceManagementAuthority"]
    return page(context("organization", select=sel, host=host), [org])


def sync_page(version, host=GRAPH, tenant_id=None):
    r = OrderedDict()
    r["id"] = tenant_id or gid("sync")
    conf = OrderedDict()
    conf["synchronizationInterval"] = "PT30M"
    conf["customerRequestedSynchronizationInterval"] = "PT30M"
    conf["synchronizationClientVersion"] = version
    conf["anchorAttribute"] = "mS-DS-ConsistencyGuid"
    conf["applicationId"] = "cb1056e2-e479-49de-ae31-7812af012ed8"
    adp = OrderedDict()
    adp["synchronizationPreventionType"] = "enabledForCount"
    adp["alertThreshold"] = 500
    conf["accidentalDeletionPrevention"] = adp
    r["configuration"] = conf
    feats = OrderedDict()
    for k, v in (("blockCloudObjectTakeoverThroughHardMatchEnabled", False), ("blockSoftMatchEnabled", False),
                 ("deviceWritebackEnabled", False), ("directoryExtensionsEnabled", False),
                 ("passwordSyncEnabled", True), ("passwordWritebackEnabled", True),
                 ("softMatchOnUpnEnabled", True), ("userWritebackEnabled", False)):
        feats[k] = v
    r["features"] = feats
    return page(context("directory/onPremisesSynchronization", api="beta", host=host), [r])


# --------------------------------------------------------------------------- device-local evidence

ENDPOINTS_2022 = ["mmdcustomer.microsoft.com", "mmdls.microsoft.com", "logcollection.mmd.microsoft.com",
                  "support.mmd.microsoft.com"]

# "Configure your network", ms.date 03/31/2025 (shared/reference/endpoints.md): the hosts a device can be probed
# for (the two wildcard hosts cannot be named). devicelistenprod.eudb.microsoft.com replaces devicelistenerprod for
# tenants in the EU Data Boundary; the collector probes both.
ENDPOINTS_2025 = ["mmdcustomer.microsoft.com", "mmdls.microsoft.com", "devicelistenerprod.microsoft.com",
                  "login.windows.net", "device.autopatch.microsoft.com", "services.autopatch.microsoft.com"]
ENDPOINT_EU = "devicelistenprod.eudb.microsoft.com"
ENDPOINTS_2025_EU = [ENDPOINT_EU if h == "devicelistenerprod.microsoft.com" else h for h in ENDPOINTS_2025]

_ADDR = {
    "mmdcustomer.microsoft.com": ["20.190.160.20"],
    "mmdls.microsoft.com": ["40.126.32.135"],
    "logcollection.mmd.microsoft.com": ["52.239.220.68"],
    "support.mmd.microsoft.com": ["13.107.246.45"],
}


def probe(host, proxy=None, fail=None, error=None):
    """One endpoint probe. fail: None (all steps ok), 'dns', 'tcp' or 'tls'."""
    p = OrderedDict()
    p["host"] = host
    p["port"] = 443
    p["proxy"] = proxy
    dns = OrderedDict()
    tcp = OrderedDict()
    tls = OrderedDict()
    if fail == "dns":
        dns["ok"] = False
        dns["addresses"] = []
        dns["error"] = error or "No such host is known."
        p["dns"] = dns
        p["tcp"] = None
        p["tls"] = None
        return p
    dns["ok"] = True
    dns["addresses"] = _ADDR.get(host, ["13.107.4.50"])
    dns["error"] = None
    p["dns"] = dns
    if fail == "tcp":
        tcp["ok"] = False
        tcp["error"] = error or ("A connection attempt failed because the connected party did not properly "
                                 "respond after a period of time")
        p["tcp"] = tcp
        p["tls"] = None
        return p
    tcp["ok"] = True
    tcp["error"] = None
    p["tcp"] = tcp
    if fail == "tls":
        tls["ok"] = False
        tls["protocol"] = None
        tls["error"] = error or ("The remote certificate is invalid according to the validation procedure: "
                                 "RemoteCertificateChainErrors")
    else:
        tls["ok"] = True
        tls["protocol"] = "Tls12"
        tls["error"] = None
    p["tls"] = tls
    return p


def dsregcmd(device_name, device_id, tenant_id, tenant_name, azure_ad_joined=True, domain_joined=False,
             domain_name=None, upn="user@contoso.example", auth_status="SUCCESS", newline="\r\n",
             prt_update="2022-06-14 07:41:22.000 UTC", prt_expiry="2022-06-28 07:41:21.000 UTC"):
    """The complete `dsregcmd /status` text in the format of Windows 10 21H2 / Windows 11 21H2."""
    bar = "+----------------------------------------------------------------------+"

    def header(title):
        return [bar, "| %-69s|" % title, bar, ""]

    def kv(name, value):
        return "%26s : %s" % (name, value) if value != "" else "%26s : " % name

    L = []
    L += header("Device State")
    L.append(kv("AzureAdJoined", "YES" if azure_ad_joined else "NO"))
    L.append(kv("EnterpriseJoined", "NO"))
    L.append(kv("DomainJoined", "YES" if domain_joined else "NO"))
    if domain_joined:
        L.append(kv("DomainName", domain_name or "CONTOSO"))
    L.append(kv("Device Name", device_name + (".corp.contosopharma.com" if domain_joined else "")))
    L.append("")
    if azure_ad_joined:
        L += header("Device Details")
        L.append(kv("DeviceId", device_id))
        L.append(kv("Thumbprint", gid("thumb", device_id).replace("-", "").upper()[:40].ljust(40, "A")))
        L.append(kv("DeviceCertificateValidity",
                    "[ 2021-09-14 09:02:50.000 UTC -- 2031-09-14 09:32:50.000 UTC ]"))
        L.append(kv("KeyContainerId", gid("keycontainer", device_id)))
        L.append(kv("KeyProvider", "Microsoft Platform Crypto Provider"))
        L.append(kv("TpmProtected", "YES"))
        L.append(kv("DeviceAuthStatus", auth_status))
        L.append("")
        L += header("Tenant Details")
        L.append(kv("TenantName", tenant_name))
        L.append(kv("TenantId", tenant_id))
        L.append(kv("Idp", "login.windows.net"))
        L.append(kv("AuthCodeUrl", "https://login.microsoftonline.com/%s/oauth2/authorize" % tenant_id))
        L.append(kv("AccessTokenUrl", "https://login.microsoftonline.com/%s/oauth2/token" % tenant_id))
        L.append(kv("MdmUrl", "https://enrollment.manage.microsoft.com/enrollmentserver/discovery.svc"))
        L.append(kv("MdmTouUrl", "https://portal.manage.microsoft.com/TermsofUse.aspx"))
        L.append(kv("MdmComplianceUrl", "https://portal.manage.microsoft.com/?portalAction=Compliance"))
        L.append(kv("SettingsUrl", ""))
        L.append(kv("JoinSrvVersion", "2.0"))
        L.append(kv("JoinSrvUrl", "https://enterpriseregistration.windows.net/EnrollmentServer/device/"))
        L.append(kv("JoinSrvId", "urn:ms-drs:enterpriseregistration.windows.net"))
        L.append(kv("KeySrvVersion", "1.0"))
        L.append(kv("KeySrvUrl", "https://enterpriseregistration.windows.net/EnrollmentServer/key/"))
        L.append(kv("KeySrvId", "urn:ms-drs:enterpriseregistration.windows.net"))
        L.append(kv("WebAuthNSrvVersion", "1.0"))
        L.append(kv("WebAuthNSrvUrl", "https://enterpriseregistration.windows.net/webauthn/%s/" % tenant_id))
        L.append(kv("WebAuthNSrvId", "urn:ms-drs:enterpriseregistration.windows.net"))
        L.append(kv("DeviceManagementSrvVer", "1.0"))
        L.append(kv("DeviceManagementSrvUrl", "https://enterpriseregistration.windows.net/manage/%s/" % tenant_id))
        L.append(kv("DeviceManagementSrvId", "urn:ms-drs:enterpriseregistration.windows.net"))
        L.append("")
    L += header("User State")
    L.append(kv("NgcSet", "YES"))
    L.append(kv("NgcKeyId", "{%s}" % gid("ngc", device_id).upper()))
    L.append(kv("CanReset", "DestructiveAndNonDestructive"))
    L.append(kv("WorkplaceJoined", "NO"))
    L.append(kv("WamDefaultSet", "YES"))
    L.append(kv("WamDefaultAuthority", "organizations"))
    L.append(kv("WamDefaultId", "https://login.microsoft.com"))
    L.append(kv("WamDefaultGUID", "{B16898C6-A148-4967-9171-64D755DA8520} (AzureAd)"))
    L.append("")
    L += header("SSO State")
    L.append(kv("AzureAdPrt", "YES" if azure_ad_joined else "NO"))
    if azure_ad_joined:
        L.append(kv("AzureAdPrtUpdateTime", prt_update))
        L.append(kv("AzureAdPrtExpiryTime", prt_expiry))
        L.append(kv("AzureAdPrtAuthority", "https://login.microsoftonline.com/%s" % tenant_id))
    L.append(kv("EnterprisePrt", "NO"))
    L.append(kv("EnterprisePrtAuthority", ""))
    L.append(kv("OnPremTgt", "YES" if domain_joined else "NO"))
    L.append(kv("CloudTgt", "YES" if azure_ad_joined else "NO"))
    L.append(kv("KerbTopLevelNames",
                ".windows.net,.windows.net:1433,.windows.net:3342,.azure.net,.azure.net:1433,.azure.net:3342"))
    L.append("")
    L += header("Diagnostic Data")
    L.append(kv("AadRecoveryEnabled", "NO"))
    L.append(kv("Executing Account Name", "%s, %s" % (
        ((domain_name or "CONTOSO") + "\\" if domain_joined else "AzureAD\\") + upn.split("@")[0], upn)))
    L.append(kv("KeySignTest", "PASSED"))
    L.append("")
    L.append(kv("DisplayNameUpdated", "YES"))
    L.append(kv("OsVersionUpdated", "YES"))
    L.append(kv("HostNameUpdated", "YES"))
    L.append("")
    L.append(kv("Last HostName Update", "SUCCEEDED"))
    L.append("")
    L += header("IE Proxy Config for Current User")
    L.append(kv("Auto Detect Settings", "YES"))
    L.append(kv("Auto-Configuration URL", ""))
    L.append(kv("Proxy Server List", ""))
    L.append(kv("Proxy Bypass List", ""))
    L.append("")
    L += header("WinHttp Default Proxy Config")
    L.append(kv("Access Type", "DIRECT"))
    L.append("")
    L += header("Ngc Prerequisite Check")
    L.append(kv("IsDeviceJoined", "YES" if azure_ad_joined else "NO"))
    L.append(kv("IsUserAzureAD", "YES" if azure_ad_joined else "NO"))
    L.append(kv("PolicyEnabled", "NO"))
    L.append(kv("PostLogonEnabled", "YES"))
    L.append(kv("DeviceEligible", "YES"))
    L.append(kv("SessionIsNotRemote", "YES"))
    L.append(kv("CertEnrollment", "none"))
    L.append(kv("PreReqResult", "WillProvision"))
    L.append("")
    return newline.join(L) + newline


def device_evidence(name, serial, sku=4, arch="64-bit", version="10.0.19044", caption=None, dsreg=None,
                    registry=None, probes=None, collected_at=None, cm_version=None, omit_registry=False):
    r = OrderedDict()
    r["collected_at"] = collected_at or "2022-06-14T09:15:00Z"
    r["computer_name"] = name
    r["serial_number"] = serial
    os_ = OrderedDict()
    os_["OperatingSystemSKU"] = sku
    os_["OSArchitecture"] = arch
    os_["Version"] = version
    os_["BuildNumber"] = version.split(".")[2]
    os_["Caption"] = caption or ("Microsoft Windows 11 Enterprise" if version.split(".")[2] >= "22000"
                                 else "Microsoft Windows 10 Enterprise")
    r["os"] = os_
    if dsreg is not None:
        r["dsregcmd"] = dsreg
    if not omit_registry:  # omit_registry: an older/partial collector run that read no registry at all
        r["registry"] = registry or []
    if cm_version:
        r["configmgr_client_version"] = cm_version
    if probes is not None:
        r["probes"] = probes
    return r


def reg(path, name, type_, value):
    r = OrderedDict()
    r["path"] = path
    r["name"] = name
    r["type"] = type_
    r["value"] = value
    return r


def reg_absent(path, name, error=None):
    """A value the collector looked for and did not find (Get-ApRegistryValue writes present:false, plus the
    exception message when the read itself failed)."""
    r = OrderedDict()
    r["path"] = path
    r["name"] = name
    r["present"] = False
    if error:
        r["error"] = error
    return r


def bundle(devices=None, graph=None, collected_at="2022-06-14T16:20:05Z", complete=None, schema="apready.snapshot/1",
           host="Windows PowerShell 5.1.19041.1682"):
    b = OrderedDict()
    b["schema"] = schema
    b["collected_at"] = collected_at
    col = OrderedDict()
    col["name"] = "AutopatchReadiness"
    col["version"] = "0.1.0"
    col["host"] = host
    b["collector"] = col
    if complete is not None:
        b["complete"] = complete
    b["problems"] = []
    if graph is not None:
        b["graph"] = [OrderedDict([("request", req), ("page", pg)]) for req, pg in graph]
    if devices is not None:
        b["devices"] = devices
    return b
