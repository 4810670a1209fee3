#!/usr/bin/env python3
"""Generates tests/data/sample-tenant/: the "Contoso Pharma" tenant as raw Graph pages, its device
evidence bundle, EXPECTED.md, expected-2022-05.toml and expected-current.toml (the same tenant under
profile `current`, derived from EXPECTED.md and the `current` rules; its reasons are comments in the file).

    python3 tests/data/gen/sample_tenant.py

Every expected status below is written by hand from ../../../../shared/spec/checks.md (the
catalogue); the script only lays the data out and derives device verdicts with the catalogue's
roll-up rule (rollup.py). A few sanity assertions cross-check the hand-written DEV-003 statuses
against the timestamps so that an edit to a date cannot silently contradict the table.
"""

import os
import sys
sys.dont_write_bytecode = True  # keep the repository free of __pycache__
from collections import OrderedDict
from datetime import timedelta
from urllib.parse import quote

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *  # noqa: E402,F401,F403
from rollup import worst, EXIT  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "sample-tenant"))

TENANT_ID = "3c8e1b5a-6f2d-4e7a-9b41-0d5c2a7e8f13"
TENANT_NAME = "Contoso Pharma"
DOMAIN = "contosopharma.com"
LIC_GROUP = gid("group", "sg-lic-m365-e3")

# ----------------------------------------------------------------------------------------- people

PEOPLE = [
    # (key, display name, usage location)
    ("amelie.favre", "Amélie Favre", "CH"), ("bruno.keller", "Bruno Keller", "CH"),
    ("carla.rossi", "Carla Rossi", "CH"), ("daniel.meier", "Daniel Meier", "CH"),
    ("elena.popescu", "Elena Popescu", "CH"), ("felix.brunner", "Felix Brunner", "CH"),
    ("grace.okafor", "Grace Okafor", "US"), ("hannah.schmid", "Hannah Schmid", "CH"),
    ("ivan.petrov", "Ivan Petrov", "CH"), ("julia.weber", "Julia Weber", "DE"),
    ("kenji.tanaka", "Kenji Tanaka", "US"), ("laura.fischer", "Laura Fischer", "CH"),
    ("marco.bianchi", "Marco Bianchi", "CH"), ("nina.huber", "Nina Huber", "CH"),
    ("oliver.wright", "Oliver Wright", "US"), ("paula.garcia", "Paula García", "US"),
    ("quentin.moreau", "Quentin Moreau", "CH"), ("rita.lehmann", "Rita Lehmann", "CH"),
    ("samuel.baumann", "Samuel Baumann", "CH"), ("tanja.graf", "Tanja Graf", "CH"),
    ("ursula.frei", "Ursula Frei", "CH"), ("viktor.novak", "Viktor Novak", "DE"),
    ("wendy.chen", "Wendy Chen", "US"), ("xavier.dubois", "Xavier Dubois", "CH"),
    ("yasmin.haddad", "Yasmin Haddad", "CH"), ("zoe.steiner", "Zoé Steiner", "CH"),
    ("adrian.vogel", "Adrian Vogel", "CH"), ("beatrice.roth", "Beatrice Roth", "CH"),
    ("cedric.muller", "Cédric Müller", "CH"), ("diana.kovac", "Diana Kovač", "DE"),
    ("emil.suter", "Emil Suter", "CH"), ("fatima.rahman", "Fatima Rahman", "US"),
    ("georg.widmer", "Georg Widmer", "CH"), ("helena.berg", "Helena Berg", "DE"),
    ("isaac.levi", "Isaac Levi", "US"), ("jana.kessler", "Jana Kessler", "CH"),
    ("karl.zimmermann", "Karl Zimmermann", "CH"), ("nadia.benali", "Nadia Benali", "CH"),
    ("omar.aziz", "Omar Aziz", "CH"), ("petra.wolf", "Petra Wolf", "DE"),
    # users who own no Windows device (noise for the users export)
    ("it.admin", "IT Admin (cloud only)", "CH"), ("svc.scanner", "Scanner Service Account", "CH"),
    ("reception", "Reception Basel", "CH"), ("mara.lindqvist", "Mara Lindqvist", "US"),
]


def person(key):
    for k, display, loc in PEOPLE:
        if k == key:
            upn = "%s@%s" % (k, DOMAIN)
            return {"id": gid("user", upn), "upn": upn, "display": display, "mail": upn, "usage_location": loc}
    raise KeyError(key)


# Primary user of CPH-LT-1030 who is not in the users export (left the company between the device
# export and the users export; the Intune record still names her).
GHOST = {"id": gid("user", "lena.hoffmann@" + DOMAIN), "upn": "lena.hoffmann@" + DOMAIN,
         "display": "Lena Hoffmann", "mail": "lena.hoffmann@" + DOMAIN}

# Licence assignment per user key (default: M365 E3 through the licensing group).
LICENSES = {
    "nadia.benali": [lic(STANDARDPACK)],                                  # no entitling licence
    "omar.aziz": [lic(SPE_E3, disabled=[P_WIN_ENT])],                     # Windows Enterprise plan disabled
    "it.admin": [lic(SPE_E3)],
    "svc.scanner": [],
    "reception": [lic(STANDARDPACK)],
    "mara.lindqvist": [lic(SPE_E3, group=LIC_GROUP), lic(POWER_BI_STANDARD)],
    "grace.okafor": [lic(SPE_E3), lic(FLOW_FREE)],                         # direct assignment
    "kenji.tanaka": [lic(SPE_E3), lic(POWER_BI_STANDARD)],
}

# --------------------------------------------------------------------------------------- devices
#
# Every device has: name, user key (or None), last sync (timestamp string), Intune and Entra ids,
# the data that matters, and `expect`: the status of each DEV check (full names; reasons after a
# colon) plus `why` lines quoting the catalogue.

NE_DEV = "not_evaluated:needs_device_evidence"
NE_MI = "not_evaluated:missing_input"
NA = "not_applicable"

MODELS = [("Latitude 7420", "Dell Inc."), ("HP EliteBook 840 G8 Notebook PC", "HP"),
          ("20XW0055MZ", "LENOVO"), ("Surface Laptop 4", "Microsoft Corporation"),
          ("Latitude 5520", "Dell Inc."), ("HP EliteBook 850 G7 Notebook PC", "HP")]

OSV = ["10.0.19044.1706", "10.0.22000.675", "10.0.19043.1706", "10.0.19044.1682", "10.0.22000.708"]


def serial_for(name, manufacturer):
    h = gid("serial", name).replace("-", "").upper()
    if manufacturer == "Dell Inc.":
        return "".join(c for c in h if c.isalnum())[:7]
    if manufacturer == "HP":
        return "5CG" + h[:7]
    if manufacturer == "LENOVO":
        return "PF" + h[:6]
    if manufacturer == "Microsoft Corporation":
        return "0" + "".join(c for c in str(int(h[:12], 16)))[:11]
    return h[:10]


DEVICES = []


def dev(name, user, last_sync, expect, why, suffix="", **kw):
    i = len(DEVICES)
    model, manufacturer = kw.pop("model_pair", MODELS[i % len(MODELS)])
    d = {
        "name": name,
        "id": gid("intune", name, suffix),
        "aad_id": kw.pop("aad_id", gid("entra-device", name, suffix)),
        "user": person(user) if isinstance(user, str) else user,
        "user_key": user if isinstance(user, str) else None,
        "last_sync": last_sync,
        "enrolled": kw.pop("enrolled", ago(days=200 + (i * 7) % 300, hours=i % 9, minutes=(i * 13) % 60)),
        "os_version": kw.pop("os_version", OSV[i % len(OSV)]),
        "model": model,
        "manufacturer": manufacturer,
        "wifi_mac": gid("mac", name).replace("-", "").upper()[:12],
        "expect": expect,
        "why": why,
    }
    d["serial"] = kw.pop("serial", serial_for(name + suffix, manufacturer))
    d.update(kw)
    DEVICES.append(d)
    return d


def good(**over):
    e = OrderedDict([("DEV-001", "ready"), ("DEV-002", "ready"), ("DEV-003", "ready"), ("DEV-004", "ready"),
                     ("DEV-005", NA), ("DEV-006", "ready"), ("DEV-007", "ready"), ("DEV-008", NE_DEV),
                     ("DEV-009", NE_DEV)])
    e.update(over)
    return e


COMANAGED = dict(agent="configurationManagerClientMdm", enrollment_type="windowsCoManagement",
                 join_type="hybridAzureADJoined", trust="ServerAd", cm_client_version="5.00.9078.1006",
                 compliance="compliant")
HYBRID = dict(join_type="hybridAzureADJoined", trust="ServerAd", enrollment_type="windowsAutoEnrollment")

# --- evidence devices (device-local evidence in device-evidence.snapshot.json)
dev("CPH-LT-1001", "amelie.favre", ts(ago(hours=9, minutes=14, seconds=2)),
    good(**{"DEV-008": "ready", "DEV-009": "ready"}),
    ["DEV-008 ready: at least one endpoint reached; DEV-009 ready: all four 2022 endpoints passed DNS, TCP 443 "
     "and TLS 1.2", "DEV-004 ready: local OperatingSystemSKU 4 / '64-bit' agree with beta skuNumber 4 / x64"],
    os_version="10.0.22000.675", evidence="all_ok", model_pair=("Surface Laptop 4", "Microsoft Corporation"))
dev("CPH-LT-1002", "bruno.keller", ts(ago(days=1, hours=2, minutes=40), frac=1234567),
    good(**{"DEV-008": "ready", "DEV-009": "not_ready"}),
    ["DEV-008 ready: three endpoints reached", "DEV-009 not_ready: support.mmd.microsoft.com failed at the TLS "
     "step (TLS-inspecting proxy); 'any endpoint unreachable'"],
    os_version="10.0.19044.1706", evidence="tls_fail", **HYBRID)
dev("CPH-LT-1003", "carla.rossi", ts(ago(days=2, hours=5)),
    good(),
    ["device evidence without probes (-SkipNetwork): DEV-008/DEV-009 stay not_evaluated(needs_device_evidence)"],
    os_version="10.0.19044.1706", evidence="no_probes")

# --- healthy fleet
_fleet = ["daniel.meier", "elena.popescu", "felix.brunner", "grace.okafor", "hannah.schmid", "ivan.petrov",
          "julia.weber", "kenji.tanaka", "laura.fischer", "marco.bianchi", "nina.huber", "oliver.wright",
          "paula.garcia", "quentin.moreau", "rita.lehmann", "samuel.baumann", "tanja.graf"]
for n, u in enumerate(_fleet):
    extra = dict(HYBRID) if n % 3 == 1 else {}
    frac = 1000000 + n * 73421 if n % 4 == 2 else None
    dev("CPH-LT-%d" % (1004 + n), u, ts(ago(days=n % 6, hours=(n * 5) % 23, minutes=(n * 17) % 60), frac=frac),
        good(), ["healthy Intune-enrolled laptop: every DEV check met"], **extra)

# --- co-management
for n, u in enumerate(["ursula.frei", "viktor.novak", "wendy.chen"]):
    dev("CPH-DT-%d" % (2001 + n), u, ts(ago(days=n + 1, hours=3 + n)),
        good(**{"DEV-005": "ready"}),
        ["co-managed (configurationManagerClientMdm): DEV-001 ready; Windows Update, Device configuration and "
         "Office Click-to-Run workloads all true (beta) -> DEV-005 ready"],
        model_pair=("OptiPlex 7090", "Dell Inc."), features_v1=features_v1(), features_beta=features_beta(),
        **dict(COMANAGED, cm_client_version=["5.00.9078.1006", "5.00.9068.1008", "5.00.9078.1006"][n]))
_cm = dict(COMANAGED)
_cm["agent"] = "configurationManagerClientMdmEas"
dev("CPH-DT-2004", "xavier.dubois", ts(ago(days=3, hours=11)),
    good(**{"DEV-005": "ready"}),
    ["managementAgent configurationManagerClientMdmEas: co-managed (DEV-001 ready list); all three workloads "
     "-> DEV-005 ready"],
    model_pair=("OptiPlex 7090", "Dell Inc."), features_v1=features_v1(), features_beta=features_beta(), **_cm)
dev("CPH-DT-2005", "yasmin.haddad", ts(ago(days=1, hours=7)),
    good(**{"DEV-005": "not_ready"}),
    ["co-managed with windowsUpdateForBusiness false (v1.0 and beta) -> DEV-005 not_ready naming the Windows "
     "Update workload"],
    model_pair=("OptiPlex 7090", "Dell Inc."), features_v1=features_v1(wu=False),
    features_beta=features_beta(wu=False), **COMANAGED)
dev("CPH-DT-2006", "zoe.steiner", ts(ago(days=2, hours=1)),
    good(**{"DEV-005": "not_ready"}),
    ["co-managed, v1.0 flags all true but beta officeApps false (merged, beta wins) -> DEV-005 not_ready "
     "naming Office Click-to-Run apps"],
    model_pair=("OptiPlex 7090", "Dell Inc."), features_v1=features_v1(), features_beta=features_beta(office=False),
    **COMANAGED)
dev("CPH-DT-2007", "adrian.vogel", ts(ago(days=1, hours=4)),
    good(**{"DEV-001": "not_ready"}),
    ["managementAgent configurationManagerClient: ConfigMgr only (tenant attached, not co-managed) -> DEV-001 "
     "not_ready; not co-managed -> DEV-005 not_applicable"],
    model_pair=("OptiPlex 7080", "Dell Inc."), agent="configurationManagerClient", compliance="configManager",
    enrollment_type="unknown", join_type="hybridAzureADJoined", trust="ServerAd", cm_client_version="5.00.9078.1006",
    features_v1=features_v1(wu=False, dc=False, others=False),
    features_beta=features_beta(wu=False, dc=False, office=False, others=False))

# --- ownership, contact, edition
dev("DESKTOP-7Q2M4KD", "beatrice.roth", ts(ago(days=4, hours=9)),
    good(**{"DEV-002": "not_ready", "DEV-004": "not_ready"}),
    ["managedDeviceOwnerType personal (BYOD) -> DEV-002 not_ready", "home PC with Windows Pro (skuNumber 48) -> "
     "DEV-004 not_ready (2022-05 accepts Enterprise only)"],
    owner="personal", sku=48, model_pair=("Inspiron 5593", "Dell Inc."), compliance="noncompliant",
    os_version="10.0.19044.1706")
d = dev("CPH-LT-1021", "cedric.muller", ts(ago(days=40, hours=3, minutes=12)),
        good(**{"DEV-003": "not_ready"}),
        ["last sync 40 days before as_of (> 28 x 86 400 s) -> DEV-003 not_ready"], compliance="noncompliant")
dev("CPH-LT-1022", "diana.kovac", ts(ago(days=24, hours=6)),
    good(**{"DEV-003": "advisory"}),
    ["last sync 2022-05-21T18:00:00Z, 24 days 6 h before as_of (> 21 days, <= 28 days) -> DEV-003 advisory; falls "
     "out of the window on 2022-06-18T18:00:00Z"])
dev("CPH-LT-1023", "emil.suter", NEVER,
    good(**{"DEV-003": "not_ready"}),
    ["lastSyncDateTime 0001-01-01T00:00:00Z (never synced) -> DEV-003 not_ready"],
    enrolled=ago(days=3, hours=2), compliance="unknown")
dev("CPH-LT-1024", "fatima.rahman", ts(ago(days=2, hours=8)),
    good(**{"DEV-004": "not_ready"}),
    ["corporate laptop still on Windows Pro: skuNumber 48 -> DEV-004 not_ready"], sku=48)
dev("CPH-LAB-3001", "georg.widmer", ts(ago(days=1, hours=13)),
    good(**{"DEV-004": "not_ready"}),
    ["32-bit Windows (processorArchitecture x86) -> DEV-004 not_ready"],
    arch="x86", model_pair=("OptiPlex 3020", "Dell Inc."), os_version="10.0.19044.1706")
dev("CPH-LT-1025", "helena.berg", ts(ago(days=0, hours=20)),
    good(**{"DEV-004": "advisory"}),
    ["Surface Pro X: processorArchitecture 'arM64' (Graph's casing; compared case-insensitively) -> DEV-004 "
     "advisory"],
    arch="arM64", model_pair=("Surface Pro X", "Microsoft Corporation"), os_version="10.0.22000.675")
dev("CPH-LAB-3002", "isaac.levi", ts(ago(days=3, hours=1)),
    good(**{"DEV-004": "advisory"}),
    ["lab instrument PC on Windows 10 Enterprise LTSC 2019 (skuNumber 125) -> DEV-004 advisory"],
    sku=125, os_version="10.0.17763.2928", model_pair=("OptiPlex 7070", "Dell Inc."))
dev("CPH-AVD-01", None, ts(ago(hours=2, minutes=5)),
    good(**{"DEV-004": "advisory", "DEV-007": "advisory"}),
    ["Azure Virtual Desktop host, Windows 10 Enterprise multi-session (skuNumber 175) -> DEV-004 advisory",
     "no primary user (pooled host) -> DEV-007 advisory"],
    sku=175, os_version="10.0.19044.1706", model_pair=("Virtual Machine", "Microsoft Corporation"),
    storage_total=136362098688, **HYBRID)
dev("CPH-DT-2008", "jana.kessler", ts(ago(days=5, hours=2)),
    good(**{"DEV-004": "not_ready"}),
    ["Windows 8.1 (osVersion 6.3.9600.20367): 'an OS other than Windows 10/11' -> DEV-004 not_ready"],
    os_version="6.3.9600.20367", model_pair=("OptiPlex 9020", "Dell Inc."))

# --- Entra link
dev("CPH-LT-1026", "karl.zimmermann", ts(ago(days=6, hours=4)),
    good(**{"DEV-006": "not_ready"}),
    ["azureADDeviceId points to an Entra device that is not in the devices export (deleted) -> DEV-006 "
     "not_ready (no match)"], entra="missing")
dev("CPH-LT-1027", "laura.fischer", ts(ago(days=2, hours=22)),
    good(**{"DEV-006": "not_ready"}),
    ["matching Entra device has accountEnabled false -> DEV-006 not_ready (disabled)"], entra="disabled")
dev("CPH-LT-1033", "marco.bianchi", ts(ago(days=1, hours=16)),
    good(**{"DEV-006": "not_ready"}),
    ["azureADDeviceId 00000000-0000-0000-0000-000000000000 means no Entra link -> DEV-006 not_ready"],
    aad_id=ZERO_GUID, aad_registered=False, entra="none")
_dup_aad = gid("entra-device", "CPH-LT-1028")
dev("CPH-LT-1028", "nina.huber", ts(ago(days=45, hours=5)),
    good(**{"DEV-003": "not_ready", "DEV-006": "advisory"}),
    ["older of two Intune records for one Entra device (re-enrolled after a reset): DEV-006 advisory "
     "(duplicate); last sync 45 days ago -> DEV-003 not_ready"],
    suffix="old", aad_id=_dup_aad, enrolled=ago(days=380), entra="dup_old", compliance="noncompliant",
    model_pair=("Latitude 7420", "Dell Inc."), serial="8J3KQ73")
dev("CPH-LT-1028", "nina.huber", ts(ago(hours=11, minutes=30)),
    good(**{"DEV-006": "advisory"}),
    ["newer of the two Intune records for the same Entra device -> DEV-006 advisory (duplicate)"],
    suffix="new", aad_id=_dup_aad, enrolled=ago(days=44), entra="dup_new",
    model_pair=("Latitude 7420", "Dell Inc."), serial="8J3KQ73")

# --- users and licences
dev("CPH-LT-1029", "nadia.benali", ts(ago(days=1, hours=1)),
    good(**{"DEV-007": "not_ready"}),
    ["primary user holds only Office 365 E1 (not entitling) -> DEV-007 not_ready"])
dev("CPH-KSK-01", None, ts(ago(hours=6, minutes=45)),
    good(**{"DEV-007": "advisory"}),
    ["reception kiosk (self-deploying, userless): no primary user -> DEV-007 advisory"],
    enrollment_type="windowsAzureADJoin", model_pair=("OptiPlex 7090 AIO", "Dell Inc."))
dev("CPH-LT-1030", GHOST, ts(ago(days=3, hours=3)),
    good(**{"DEV-007": NE_MI}),
    ["primary user id is not in the users export -> DEV-007 not_evaluated(missing_input)"])
dev("CPH-LT-1034", "omar.aziz", ts(ago(days=2, hours=6)),
    good(**{"DEV-007": "not_ready"}),
    ["primary user holds M365 E3 with WIN10_PRO_ENT_SUB (Windows Enterprise plan) in disabledPlans -> not "
     "entitled -> DEV-007 not_ready"])

# --- odd enum values
dev("CPH-LT-1031", "petra.wolf", ts(ago(days=1, hours=19)),
    good(**{"DEV-001": "advisory"}),
    ["managementAgent 'windowsManagementCloudApi' is in neither list of DEV-001 -> advisory (value shown)"],
    agent="windowsManagementCloudApi")
dev("CPH-LT-1032", "ivan.petrov", ts(ago(days=0, hours=15)),
    good(**{"DEV-002": "advisory"}),
    ["managedDeviceOwnerType unknown -> DEV-002 advisory"], owner="unknown")

# Intune records outside scope (operatingSystem not Windows); they have Entra records that join.
NON_WINDOWS = [
    dict(name="iPhone de Amélie", user="amelie.favre", os="iOS", os_version="15.5", model="iPhone 13",
         manufacturer="Apple", owner="company", trust="Workplace", entra_os="iOS"),
    dict(name="Kenji's iPhone", user="kenji.tanaka", os="iOS", os_version="15.4.1", model="iPhone 12",
         manufacturer="Apple", owner="personal", trust="Workplace", entra_os="iOS"),
    dict(name="SM-G991B", user="laura.fischer", os="Android", os_version="12", model="SM-G991B",
         manufacturer="samsung", owner="company", trust="Workplace", entra_os="Android"),
    dict(name="CPH-MAC-01", user="grace.okafor", os="macOS", os_version="12.4 (21F79)", model="MacBookPro18,3",
         manufacturer="Apple", owner="company", trust="Workplace", entra_os="MacMDM"),
]

# Entra-only records (no Intune record)
ENTRA_ONLY = [
    # in scope: Windows, ServerAd, enabled, signed in 2 days before as_of -> fails DEV-001
    dict(name="CPH-DT-2101", trust="ServerAd", enabled=True, last_signin=ts(ago(days=2, hours=7)),
         in_scope=True, managed=False),
    # out of scope
    dict(name="CPH-DT-0417", trust="ServerAd", enabled=True, last_signin=ts(ago(days=256)), in_scope=False,
         managed=False, why="stale: last sign-in 256 days ago (> 28 days)"),
    dict(name="CPH-LT-0388", trust="AzureAd", enabled=False, last_signin=ts(ago(days=10)), in_scope=False,
         managed=False, why="accountEnabled false"),
    dict(name="CPH-LT-1008", trust="Workplace", enabled=True, last_signin=ts(ago(days=190)), in_scope=False,
         managed=False, why="trustType Workplace (stale 'dual state' registration of a hybrid-joined PC)"),
    dict(name="CPH-SRV-FS01", trust="ServerAd", enabled=True, last_signin=ts(ago(days=1)), in_scope=False,
         managed=False, os="Windows Server", os_version="10.0.17763.2928", why="Windows Server"),
    dict(name="CPH-LT-0512", trust="AzureAd", enabled=True, last_signin=ts(ago(days=106)), in_scope=False,
         managed=False, why="stale: last sign-in 106 days ago"),
    dict(name="iPad de Reception", trust="Workplace", enabled=True, last_signin=ts(ago(days=3)), in_scope=False,
         managed=False, os="iPadOS", os_version="15.5", why="not Windows"),
]

CM_SUPPORTED_HIGHEST = "5.00.9078.1006"


# ----------------------------------------------------------------------------------------- build

def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".json") or f in ("EXPECTED.md", "expected-2022-05.toml", "expected-current.toml"):
            os.remove(os.path.join(OUT, f))

    # sanity: hand-written DEV-003 statuses agree with the timestamps
    for d in DEVICES:
        ls = d["last_sync"]
        exp = d["expect"]["DEV-003"]
        if ls == NEVER:
            assert exp == "not_ready", d["name"]
            continue
        from datetime import datetime
        t = datetime.strptime(ls[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
        age = (AS_OF - t).total_seconds()
        calc = "not_ready" if age > 28 * 86400 else "advisory" if age > 21 * 86400 else "ready"
        assert calc == exp, (d["name"], calc, exp)

    # -------------------------------------------------------------- Intune v1.0 (3 pages) + beta (2 pages)
    windows = DEVICES
    nonwin_records = []
    for n, x in enumerate(NON_WINDOWS):
        u = person(x["user"])
        rec = md_v1({
            "id": gid("intune", x["name"]), "name": x["name"], "user": u, "owner": x["owner"],
            "enrolled": ago(days=150 + n * 40), "last_sync": ts(ago(days=n, hours=3)), "os": x["os"],
            "os_version": x["os_version"], "agent": "mdm", "aad_id": gid("entra-device", x["name"]),
            "enrollment_type": "userEnrollment" if x["os"] != "macOS" else "appleBulkWithUser",
            "model": x["model"], "manufacturer": x["manufacturer"], "serial": serial_for(x["name"], "x"),
            "wifi_mac": gid("mac", x["name"]).replace("-", "").upper()[:12], "storage_total": 127865454592,
        })
        rec["managedDeviceName"] = rec["managedDeviceName"].replace("_Windows_", "_%s_" % x["os"])
        rec["jailBroken"] = "False"
        rec["isSupervised"] = x["os"] == "iOS" and x["owner"] == "company"
        if x["os"] == "Android":
            rec["androidSecurityPatchLevel"] = "2022-05-01"
        nonwin_records.append(rec)

    all_v1 = [md_v1(d) for d in windows]
    # Graph orders this list by its own key; interleave the non-Windows records to look like a real export
    all_v1.insert(7, nonwin_records[0])
    all_v1.insert(19, nonwin_records[1])
    all_v1.insert(33, nonwin_records[2])
    all_v1.insert(41, nonwin_records[3])
    chunks = [all_v1[0:20], all_v1[20:40], all_v1[40:]]
    names = ["managedDevices.page1.json", "managedDevices.page2.json", "managedDevices.page3.json"]
    md_ctx = context("deviceManagement/managedDevices")
    pages_v1 = []
    for i, chunk in enumerate(chunks):
        nl = None
        if i < len(chunks) - 1:
            nl = md_next_link("v1.0", 20, quote(chunk[-1]["deviceName"], safe=""), chunk[-1]["id"])
        pg = page(md_ctx, chunk, next_link=nl)
        pages_v1.append(pg)
        write_json(os.path.join(OUT, names[i]), pg, "compact")

    # beta: Windows devices only ($filter=operatingSystem eq 'Windows'), $select of the beta-only fields
    beta_recs = [md_beta(d) for d in windows]
    beta_ctx = context("deviceManagement/managedDevices", api="beta", select=BETA_SELECT)
    bchunks = [beta_recs[:30], beta_recs[30:]]
    bnames = ["managedDevices-beta.page1.json", "managedDevices-beta.page2.json"]
    for i, chunk in enumerate(bchunks):
        nl = None
        if i == 0:
            nl = md_next_link("beta", 30, chunk[-1]["deviceName"], chunk[-1]["id"], select=BETA_SELECT)
            nl = nl.replace("managedDevices?", "managedDevices?$filter=operatingSystem%20eq%20%27Windows%27&")
        write_json(os.path.join(OUT, bnames[i]), page(beta_ctx, chunk, next_link=nl), "compact")

    # -------------------------------------------------------------- Entra devices
    entra = []
    for d in windows:
        kind = d.get("entra", "ok")
        if kind in ("missing", "none", "dup_new"):
            continue
        trust = d.get("trust", "AzureAd")
        entra.append(entra_device({
            "device_id": d["aad_id"], "name": d["name"], "trust": trust,
            "enabled": kind != "disabled",
            "last_signin": ts(ago(hours=5 + len(entra) % 40, minutes=(len(entra) * 7) % 60)),
            "registered": ts(d["enrolled"] - timedelta(minutes=7)),
            "os_version": d["os_version"], "model": d["model"], "manufacturer": d["manufacturer"],
            "onprem_last_sync": ts(ago(hours=1, minutes=2)) if trust == "ServerAd" else None,
            "enrollment_type": "OnPremiseCoManaged" if d.get("agent", "").startswith("configurationManagerClientMdm")
            else "AzureDomainJoined",
            "managed": d.get("agent", "mdm") != "configurationManagerClient",
            "ownership": "Personal" if d.get("owner") == "personal" else "Company",
        }))
    for n, x in enumerate(NON_WINDOWS):
        entra.append(entra_device({
            "device_id": gid("entra-device", x["name"]), "name": x["name"], "trust": x["trust"], "enabled": True,
            "last_signin": ts(ago(days=n + 1)), "registered": ts(ago(days=150 + n * 40, minutes=-3)),
            "os": x["entra_os"], "os_version": x["os_version"], "model": x["model"],
            "manufacturer": x["manufacturer"], "ownership": "Personal" if x["owner"] == "personal" else "Company",
            "enrollment_type": "UserEnrollment", "physical_ids": [],
        }))
    for n, x in enumerate(ENTRA_ONLY):
        e = {"device_id": gid("entra-device", x["name"], "entra-only"), "name": x["name"], "trust": x["trust"],
             "enabled": x["enabled"], "last_signin": x["last_signin"], "registered": ts(ago(days=400 + n * 30)),
             "managed": False, "compliant": None, "ownership": None, "enrollment_type": None,
             "management_type": None, "os": x.get("os", "Windows"),
             "os_version": x.get("os_version", "10.0.19044.1645"),
             "onprem_last_sync": ts(ago(hours=1, minutes=2)) if x["trust"] == "ServerAd" else None,
             "model": "OptiPlex 7060" if x["trust"] == "ServerAd" else "Latitude 7400"}
        if x["trust"] == "Workplace":
            e["physical_ids"] = []
        entra.append(entra_device(e))
    # Entra LIST is ordered by object id; sort the same way
    entra.sort(key=lambda r: r["id"])
    write_json(os.path.join(OUT, "devices.json"), page(context("devices"), entra), "pretty")

    # -------------------------------------------------------------- users (2 pages)
    users = []
    for key, display, loc in PEOPLE:
        p = person(key)
        p["licenses"] = LICENSES.get(key, [lic(SPE_E3, group=LIC_GROUP)])
        if key in ("it.admin",):
            p["usage_location"] = "CH"
        users.append(user(p))
    users.sort(key=lambda r: r["id"])
    ucount_e3 = sum(1 for u in users for l in u["assignedLicenses"] if l["skuId"] == SPE_E3)
    ucount_e1 = sum(1 for u in users for l in u["assignedLicenses"] if l["skuId"] == STANDARDPACK)
    ucount_flow = sum(1 for u in users for l in u["assignedLicenses"] if l["skuId"] == FLOW_FREE)
    ucount_bi = sum(1 for u in users for l in u["assignedLicenses"] if l["skuId"] == POWER_BI_STANDARD)
    u_ctx = context("users", select=USER_SELECT)
    u_next = dir_next_link("users", "RFNwdAIAAQAAACM6bWFyY28uYmlhbmNoaUBjb250b3NvcGhhcm1hLmNvbSlVc2VyXzU4YjQ3ZjQ1LTY"
                           "yN2ItNDY0ZS05OTlmLTQwNjE1MzkwYTEyMrkAAAAAAAAAAAAA", select=USER_SELECT, top=25)
    write_json(os.path.join(OUT, "users.page1.json"), page(u_ctx, users[:25], next_link=u_next), "pretty")
    write_json(os.path.join(OUT, "users.page2.json"), page(u_ctx, users[25:]), "pretty")

    # -------------------------------------------------------------- subscribedSkus
    skus = [
        sku(TENANT_ID, SPE_E3, enabled=60, consumed=ucount_e3),
        sku(TENANT_ID, STANDARDPACK, enabled=25, consumed=ucount_e1),
        sku(TENANT_ID, FLOW_FREE, enabled=10000, consumed=ucount_flow),
        sku(TENANT_ID, POWER_BI_STANDARD, enabled=1000000, consumed=ucount_bi),
    ]
    write_json(os.path.join(OUT, "subscribedSkus.json"), skus_page(TENANT_ID, skus), "pretty")

    # -------------------------------------------------------------- organization + sync
    org = organization(TENANT_ID, TENANT_NAME, True, "2022-06-14T23:42:17Z", authority="intune",
                       domains=(DOMAIN, "contosopharma.onmicrosoft.com", "corp.contosopharma.com"))
    write_json(os.path.join(OUT, "organization.json"), org_page(org), "pretty")
    write_json(os.path.join(OUT, "onPremisesSynchronization-beta.json"), sync_page("2.1.1.0", tenant_id=TENANT_ID),
               "pretty")

    # -------------------------------------------------------------- device-local evidence bundle
    ev = []
    for d in windows:
        kind = d.get("evidence")
        if not kind:
            continue
        hybrid = d.get("trust") == "ServerAd"
        upn = d["user"]["upn"]
        text = dsregcmd(d["name"], d["aad_id"], TENANT_ID, TENANT_NAME, azure_ad_joined=True,
                        domain_joined=hybrid, domain_name="CONTOSOPHARMA", upn=upn,
                        newline="\r\n" if kind != "no_probes" else "\n")
        version = ".".join(d["os_version"].split(".")[:3])
        registry = [reg("HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\DataCollection", "AllowTelemetry",
                        "REG_DWORD", 1)]
        probes = None
        if kind == "all_ok":
            probes = [probe(h) for h in ENDPOINTS_2022]
        elif kind == "tls_fail":
            proxy = "http://proxy.corp.contosopharma.com:8080"
            probes = [probe(h, proxy=proxy, fail="tls" if h == "support.mmd.microsoft.com" else None,
                            error="The underlying connection was closed: Could not establish trust relationship "
                                  "for the SSL/TLS secure channel.") for h in ENDPOINTS_2022]
            registry.append(reg("HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate", "WUServer", "REG_SZ",
                                "http://wsus01.corp.contosopharma.com:8530"))
        ev.append(device_evidence(d["name"], d["serial"], sku=4, arch="64-bit", version=version, dsreg=text,
                                  registry=registry, probes=probes,
                                  collected_at=ts(ago(hours=30 - len(ev) * 3, minutes=12))))
    write_json(os.path.join(OUT, "device-evidence.snapshot.json"),
               bundle(devices=ev, collected_at=AS_OF_STR), "pretty")

    write_expectations(pages_v1, chunks, bchunks, entra, users)
    write_expectations_current()
    print("sample tenant written to", OUT)


# ----------------------------------------------------------------------------------------- expectations

TENANT_EXPECT = OrderedDict([
    ("INP-001", ("ready", "every file parses: 3 + 2 managedDevices pages (v1.0 and beta chains each closed by "
                          "exactly one page without @odata.nextLink), devices, 2 users pages, subscribedSkus, "
                          "organization, beta onPremisesSynchronization, the snapshot bundle")),
    ("LIC-001", ("ready", "SPE_E3 (05e9a617-…, a Microsoft 365 E3 SKU) has capabilityStatus Enabled, "
                          "prepaidUnits.enabled 60 > consumedUnits; seats are left")),
    ("LIC-002", ("advisory", "some in-scope primary users are not entitled: nadia.benali (Office 365 E1 only), "
                             "omar.aziz (Windows Enterprise plan WIN10_PRO_ENT_SUB disabled); lena.hoffmann is "
                             "missing from the users export; every other primary user holds SPE_E3 → 'advisory: "
                             "some do not'")),
    ("LIC-003", ("ready", "AAD_PREMIUM plan (41781fb2-…) with provisioningStatus Success on the Enabled SPE_E3")),
    ("LIC-004", ("ready", "INTUNE_A plan (c1ec4a95-…) with provisioningStatus Success on the Enabled SPE_E3")),
    ("IDN-001", ("ready", "onPremisesSyncEnabled true and onPremisesLastSyncDateTime 2022-06-14T23:42:17Z, "
                          "18 minutes before as_of (≤ 3 days)")),
    ("IDN-002", ("ready", "sync enabled; beta configuration.synchronizationClientVersion 2.1.1.0 (released "
                          "2022-03-24) is the newest Azure AD Connect release on or before as_of 2022-06-15 "
                          "(the next, 2.1.15.0, came out in July 2022)")),
    ("MGT-001", ("ready", "organization.mobileDeviceManagementAuthority is intune (co-managed devices exist "
                          "too)")),
    ("NET-001", ("advisory", "two devices carry probes: CPH-LT-1001 reached every endpoint, CPH-LT-1002 failed "
                             "support.mmd.microsoft.com at the TLS step → an endpoint failed on some (not all) "
                             "probed devices")),
    ("PRV-001", ("info", "always a notice")),
    ("CM-001", ("advisory", "co-management in use; no site version supplied, so the highest beta "
                            "configurationManagerClientInformation.clientVersion is used: 5.00.9078.1006 (2203, "
                            "supported until 2023-10-06) → at most advisory, since a client version is not the "
                            "site version")),
    ("CM-002", ("ready", "co-managed devices present (CPH-DT-2001…2006)")),
    ("CM-003", ("advisory", "windowsUpdateForBusiness is true on 5 of 6 co-managed devices (CPH-DT-2005 false) "
                            "→ 'advisory if some'")),
    ("CM-004", ("ready", "deviceConfiguration is true on all 6 co-managed devices")),
    ("CM-005", ("advisory", "beta officeApps is true on 5 of 6 co-managed devices (CPH-DT-2006 false) → "
                            "'advisory if some'")),
])


def write_expectations(pages_v1, chunks, bchunks, entra, users):
    tenant_statuses = [s for s, _ in TENANT_EXPECT.values()]
    any_device_error = any(v == "error" for d in DEVICES for v in d["expect"].values())
    verdict = worst(tenant_statuses)
    if any_device_error and verdict != "not_ready":
        verdict = "error"
    in_scope_entra = [x for x in ENTRA_ONLY if x["in_scope"]]
    out_of_scope = len(NON_WINDOWS) + len([x for x in ENTRA_ONLY if not x["in_scope"]])
    device_count = len(DEVICES) + len(in_scope_entra)
    names = [d["name"] for d in DEVICES]

    def key(d):
        return ("id:" + d["id"]) if names.count(d["name"]) > 1 else d["name"]

    # ---------------------------------------------------------------- TOML
    t = []
    t.append("# Expectations for the whole sample tenant (tests/tests/sample_tenant.rs).")
    t.append("# Generated by tests/data/gen/sample_tenant.py from the table in EXPECTED.md; edit the")
    t.append("# generator, not this file. Inputs: every *.json file of this folder (\".\").")
    t.append('description = "Contoso Pharma sample tenant, profile 2022-05, as of 2022-06-15"')
    t.append('profile = "2022-05"')
    t.append('as_of = "%s"' % AS_OF_STR)
    t.append('inputs = ["."]')
    t.append("")
    t.append("[expect]")
    t.append('verdict = "%s"' % verdict)
    t.append("exit_code = %d" % EXIT[verdict])
    t.append("device_count = %d" % device_count)
    t.append("out_of_scope = %d" % out_of_scope)
    t.append("")
    t.append("[expect.checks]")
    for cid, (st, _) in TENANT_EXPECT.items():
        t.append('"%s" = "%s"' % (cid, st))
    for d in DEVICES:
        t.append("")
        t.append('[expect.devices."%s"]' % key(d))
        if key(d).startswith("id:"):
            t.append("# %s (%s)" % (d["name"], "older record" if d["id"] == gid("intune", d["name"], "old")
                                     else "newer record"))
        t.append('verdict = "%s"' % worst(d["expect"].values()))
        for cid, st in d["expect"].items():
            t.append('"%s" = "%s"' % (cid, st))
    for x in in_scope_entra:
        t.append("")
        t.append('[expect.devices."%s"]' % x["name"])
        t.append("# Entra-only record: keyed by its Entra deviceId")
        t.append('verdict = "not_ready"')
        t.append('"DEV-001" = "not_ready"')
    t.append("")
    t.append('[expect.inputs."managedDevices.page1.json"]')
    t.append('resource = "managedDevices"')
    t.append("records = %d" % len(chunks[0]))
    t.append("truncated = false")
    t.append("")
    t.append('[expect.inputs."managedDevices.page3.json"]')
    t.append('resource = "managedDevices"')
    t.append("records = %d" % len(chunks[2]))
    t.append("truncated = false")
    t.append("")
    t.append('[expect.inputs."managedDevices-beta.page2.json"]')
    t.append('resource = "managedDevices"')
    t.append("records = %d" % len(bchunks[1]))
    t.append("truncated = false")
    t.append("")
    t.append('[expect.inputs."devices.json"]')
    t.append('resource = "devices"')
    t.append("records = %d" % len(entra))
    t.append("")
    t.append('[expect.inputs."users.page2.json"]')
    t.append('resource = "users"')
    t.append("records = %d" % (len(users) - 25))
    t.append("truncated = false")
    t.append("")
    t.append('[expect.inputs."subscribedSkus.json"]')
    t.append('resource = "subscribedSkus"')
    t.append("records = 4")
    t.append("")
    with open(os.path.join(OUT, "expected-2022-05.toml"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(t))

    # ---------------------------------------------------------------- EXPECTED.md
    ab = {"ready": "R", "advisory": "**A**", "not_ready": "**NR**", "not_applicable": "n/a", "error": "**ERR**",
          NE_DEV: "NE·dev", NE_MI: "**NE·mi**", "info": "info"}
    m = []
    m.append("# Contoso Pharma — expected results (profile 2022-05, as of 2022-06-15T00:00:00Z)")
    m.append("")
    m.append("Generated by `tests/data/gen/sample_tenant.py` together with the data in this folder and")
    m.append("`expected-2022-05.toml` (which `tests/tests/sample_tenant.rs` compares with the engine's report).")
    m.append("Every status is derived by hand from `shared/spec/checks.md`; the justification names the")
    m.append("catalogue line. Times are UTC; ages are `as_of − lastSyncDateTime`.")
    m.append("")
    m.append("## Files")
    m.append("")
    m.append("| file | what | records |")
    m.append("|---|---|---|")
    m.append("| managedDevices.page1.json … page3.json | v1.0 `GET /deviceManagement/managedDevices` (no `$select`, "
             "all platforms), raw compact pages chained by `@odata.nextLink` (page 3 has none) | %s |"
             % " + ".join(str(len(c)) for c in chunks))
    m.append("| managedDevices-beta.page1.json, page2.json | beta, `$filter=operatingSystem eq 'Windows'`, `$select` of "
             "the beta-only fields (skuNumber, processorArchitecture, configurationManagerClientInformation, "
             "officeApps…); merged with v1.0 by Intune `id`, beta wins | %s |" % " + ".join(str(len(c)) for c in bchunks))
    m.append("| devices.json | v1.0 `GET /devices` (Entra), one page | %d |" % len(entra))
    m.append("| users.page1.json, users.page2.json | v1.0 `GET /users?$select=…assignedLicenses,licenseAssignmentStates` "
             "| 25 + %d |" % (len(users) - 25))
    m.append("| subscribedSkus.json | v1.0 `GET /subscribedSkus` | 4 |")
    m.append("| organization.json | v1.0 `GET /organization?$select=…mobileDeviceManagementAuthority…` | 1 |")
    m.append("| onPremisesSynchronization-beta.json | beta `GET /directory/onPremisesSynchronization` | 1 |")
    m.append("| device-evidence.snapshot.json | `apready.snapshot/1` bundle with device-local evidence only (no "
             "`graph[]`): CPH-LT-1001 (all probes pass), CPH-LT-1002 (TLS fails on one endpoint), CPH-LT-1003 "
             "(no probes) | 3 devices |")
    m.append("")
    m.append("The bundle's `collected_at` is the reference instant itself (2022-06-15T00:00:00Z), so a run without")
    m.append("`--as-of` (which defaults to the snapshot's collection time) gives the same results as this table.")
    m.append("")
    m.append("Page chains are per resource **and API version**: the v1.0 chain (3 pages) and the beta chain")
    m.append("(2 pages) are each closed by exactly one page without `@odata.nextLink`, so nothing is truncated.")
    m.append("`EXPECTED.md` and `expected-2022-05.toml` are not inputs (the test runner feeds `*.json` only;")
    m.append("a `.md`/`.toml` file in an input folder is documentation, not an export).")
    m.append("")
    m.append("## Tenant checks — overall verdict **%s** (exit code %d)" % (verdict, EXIT[verdict]))
    m.append("")
    m.append("Overall verdict = worst roll-up among the tenant checks (device findings do not change it and no")
    m.append("device finding is `error`). Worst here is `advisory` (LIC-002, NET-001, CM-001, CM-003, CM-005).")
    m.append("")
    m.append("| check | expected | why (catalogue line) |")
    m.append("|---|---|---|")
    for cid, (st, why) in TENANT_EXPECT.items():
        m.append("| %s | `%s` | %s |" % (cid, st, why))
    m.append("")
    m.append("## Devices — %d in scope, %d out of scope" % (device_count, out_of_scope))
    m.append("")
    m.append("Legend: R ready · A advisory · NR not_ready · n/a not_applicable · NE·dev "
             "not_evaluated(needs_device_evidence) · NE·mi not_evaluated(missing_input). The device verdict is "
             "the worst roll-up (NE·dev and n/a count for nothing, NE·mi counts as advisory).")
    m.append("")
    m.append("| # | device | Intune id | 001 | 002 | 003 | 004 | 005 | 006 | 007 | 008 | 009 | verdict |")
    m.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for i, d in enumerate(DEVICES, 1):
        e = d["expect"]
        m.append("| %d | %s | `%s` | %s | **%s** |" % (
            i, d["name"], d["id"], " | ".join(ab[e["DEV-%03d" % k]] for k in range(1, 10)),
            worst(e.values())))
    for x in in_scope_entra:
        m.append("| %d | %s | — (Entra deviceId `%s`) | **NR** | | | | | | | | | **not_ready** |" % (
            len(DEVICES) + 1, x["name"], gid("entra-device", x["name"], "entra-only")))
    m.append("")
    m.append("### Why")
    m.append("")
    m.append("Unless a line below says otherwise, a device is a company-owned (`managedDeviceOwnerType` company), "
             "Intune-enrolled (`managementAgent` mdm → DEV-001 ready) Windows 10/11 Enterprise x64 "
             "(beta `skuNumber` 4, `processorArchitecture` x64, `osVersion` 10.0.x → DEV-004 ready), synced within "
             "the last 6 days (DEV-003 ready: age ≤ 21 × 86 400 s), joined to an enabled Entra device "
             "(DEV-006 ready), whose primary user holds SPE_E3 with no plan disabled (DEV-007 ready). Not "
             "co-managed → DEV-005 not_applicable (\"only for co-managed devices\"). No probe → DEV-008/DEV-009 "
             "not_evaluated(needs_device_evidence).")
    m.append("")
    for i, d in enumerate(DEVICES, 1):
        if d["why"] == ["healthy Intune-enrolled laptop: every DEV check met"]:
            continue
        m.append("- **%s** (`%s`, last sync `%s`): %s." % (d["name"], d["id"][:8], d["last_sync"], "; ".join(d["why"])))
    m.append("- Healthy fleet (%s): every DEV check met as above." % ", ".join(
        d["name"] for d in DEVICES if d["why"] == ["healthy Intune-enrolled laptop: every DEV check met"]))
    for x in in_scope_entra:
        m.append("- **%s** (Entra only, trustType %s, accountEnabled true, last sign-in `%s`): in scope by the "
                 "Entra-only rule (Windows, not Server, AzureAd/ServerAd, enabled, signed in within 28 days) → "
                 "DEV-001 not_ready (\"an in-scope Entra device with no Intune record\"); only DEV-001 and the "
                 "verdict are asserted for it." % (x["name"], x["trust"], x["last_signin"]))
    m.append("")
    m.append("### Out of scope (%d, counted in `devices.out_of_scope`)" % out_of_scope)
    m.append("")
    for x in NON_WINDOWS:
        m.append("- %s — Intune record with operatingSystem %s (its Entra record joins it: one device)."
                 % (x["name"], x["os"]))
    for x in ENTRA_ONLY:
        if not x["in_scope"]:
            m.append("- %s — Entra only, %s." % (x["name"], x["why"]))
    m.append("")
    m.append("## Readings of the catalogue used here")
    m.append("")
    m.append("- `devices.total` = in-scope devices (%d Intune Windows records + %d Entra-only record); an Entra "
             "record that joins an Intune record is the same device, never counted twice." % (
                 len(DEVICES), len(in_scope_entra)))
    m.append("- Duplicate Intune records (CPH-LT-1028 twice) are two devices with the same name; both carry "
             "DEV-006 advisory. They are keyed by Intune id in the TOML.")
    m.append("- CM-001 with only beta client versions is capped at advisory even though 5.00.9078 (2203) is "
             "supported on 2022-06-15 (\"then at most advisory, since a client version is not the site version\").")
    m.append("- IDN-002 `ready` relies on the version table knowing 2.1.1.0 (2022-03-24) as the latest release "
             "before as_of.")
    m.append("- An empty `userId` (\"\") on a managed device means no primary user (CPH-KSK-01, CPH-AVD-01).")
    m.append("")
    with open(os.path.join(OUT, "EXPECTED.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(m))


# ----------------------------------------------------------------------------------------- profile `current`
#
# The same tenant and the same as_of under profile `current` (shared/spec/checks.md "Profile current";
# ../../../../shared/reference/prerequisites-history.md, device-evidence.md, endpoints.md). Written by hand, like
# the 2022-05 table: the 2022-05 statuses of EXPECTED.md stay unless a line below changes them, and the checks that
# exist only in `current` get the defaults of CURRENT_DEFAULT unless a line below says otherwise.

CURRENT_NEW = ["DEV-010", "DEV-011", "DEV-012", "DEV-013", "DEV-014", "DEV-015"]

CURRENT_DEFAULT = OrderedDict([
    ("DEV-010", ("ready", "every Intune record carries serialNumber, model and manufacturer")),
    ("DEV-011", ("ready", "its serial number is the only one of its kind among the 48 in-scope Intune records")),
    ("DEV-012", ("ready", "one Entra record carries the device's name (no stale Workplace twin)")),
    ("DEV-013", ("ready", "its Entra record's trustType is AzureAd (Entra joined) or ServerAd (hybrid joined)")),
    ("DEV-014", (NE_DEV, "no device evidence: the Windows Update policy values can only be read on the device")),
    ("DEV-015", (NE_DEV, "no device evidence: AllowTelemetry can only be read on the device")),
])

# Device key (name, or name/suffix for the CPH-LT-1028 pair) -> (status changes, reasons).
CURRENT_CHANGES = OrderedDict([
    ("CPH-LT-1001", ({"DEV-009": "advisory", "DEV-014": "ready", "DEV-015": "ready"},
                     ["DEV-009 advisory: the probes cover the four 2022 hosts; mmdcustomer and mmdls (still listed in "
                      "the 03/31/2025 revision) were reached, devicelistenerprod (or its EU host), login.windows.net, "
                      "device.autopatch and services.autopatch were not probed",
                      "DEV-014 ready: the registry list holds no Windows Update policy value",
                      "DEV-015 ready: AllowTelemetry 1 (Required)"])),
    ("CPH-LT-1002", ({"DEV-009": "advisory", "DEV-014": "advisory", "DEV-015": "ready"},
                     ["DEV-009 advisory instead of not_ready: support.mmd.microsoft.com, the host that failed TLS, "
                      "left the list in 2025; mmdcustomer and mmdls were reached, four current endpoints not probed",
                      "DEV-014 advisory: WUServer is set — a WSUS value only community sources say Autopatch flags",
                      "DEV-015 ready: AllowTelemetry 1"])),
    ("CPH-LT-1003", ({"DEV-014": "ready", "DEV-015": "ready"},
                     ["device evidence without probes: DEV-014 ready (no Windows Update policy value), DEV-015 ready "
                      "(AllowTelemetry 1); DEV-008/DEV-009 stay not_evaluated(needs_device_evidence)"])),
    ("CPH-LT-1008", ({"DEV-012": "not_ready"},
                     ["DEV-012 not_ready: besides its hybrid joined record the directory keeps the Entra-only "
                      "Workplace record 'CPH-LT-1008' (out of scope by itself): dual state, which fails registration"])),
    ("DESKTOP-7Q2M4KD", ({"DEV-004": "ready"},
                         ["DEV-004 ready: Windows Pro (skuNumber 48) is a supported edition since 2022-06-30; the "
                          "device stays not_ready for DEV-002 (personal)"])),
    ("CPH-LT-1024", ({"DEV-004": "ready"},
                     ["DEV-004 ready: Windows Pro (skuNumber 48) is supported in `current` — this device is not "
                      "ready in 2022-05 and ready in current"])),
    ("CPH-LAB-3002", ({}, ["DEV-004 stays advisory: Enterprise LTSC (125) registers but gets quality updates only; "
                           "10.0.17763 meets the 1809 build floor"])),
    ("CPH-LT-1026", ({"DEV-012": NA},
                     ["no Entra record: DEV-012 not_applicable (DEV-006 reports it); DEV-013 ready from beta joinType "
                      "azureADJoined"])),
    ("CPH-LT-1033", ({"DEV-012": NA},
                     ["no Entra link: DEV-012 not_applicable; DEV-013 ready from beta joinType azureADJoined"])),
    ("CPH-LT-1028/old", ({"DEV-011": "not_ready"},
                         ["DEV-011 not_ready: both Intune records of the re-enrolled laptop carry serial 8J3KQ73"])),
    ("CPH-LT-1028/new", ({"DEV-011": "not_ready"},
                         ["DEV-011 not_ready: serial 8J3KQ73 is also on the older record; the device becomes "
                          "not_ready (advisory in 2022-05)"])),
])

CURRENT_TENANT_CHANGES = OrderedDict([
    ("NET-001", ("advisory", "both probed devices reached every probed endpoint of the profile, but neither "
                             "probed devicelistenerprod (or devicelistenprod.eudb), login.windows.net, "
                             "device.autopatch or services.autopatch: 'ready: every probed device reached every "
                             "endpoint' does not hold; partial coverage is advisory (checks.md, Statuses). The "
                             "2022-05 failure (support.mmd) no longer counts")),
    ("LIC-001", ("ready", "SPE_E3 (Microsoft 365 E3) entitles and includes support requests: no Business Premium / "
                          "A3+ advisory")),
])


def current_key(d):
    if d["name"] == "CPH-LT-1028":
        return "CPH-LT-1028/" + ("old" if d["id"] == gid("intune", d["name"], "old") else "new")
    return d["name"]


def current_expect(d):
    e = OrderedDict(d["expect"])
    for cid, (st, _) in CURRENT_DEFAULT.items():
        e[cid] = st
    changes, _ = CURRENT_CHANGES.get(current_key(d), ({}, []))
    for cid, st in changes.items():
        assert cid in e, (d["name"], cid)
        e[cid] = st
    return e


def write_expectations_current():
    assert set(CURRENT_CHANGES) <= {current_key(d) for d in DEVICES}, "CURRENT_CHANGES names an unknown device"
    # sanity: the hand-written DEV-010/DEV-011 statuses agree with the data
    serials = {}
    for d in DEVICES:
        serials.setdefault(d["serial"].strip().lower(), []).append(current_key(d))
    for d in DEVICES:
        e = current_expect(d)
        assert all(d[f] for f in ("serial", "model", "manufacturer")) == (e["DEV-010"] == "ready"), d["name"]
        shared = len(serials[d["serial"].strip().lower()]) > 1
        assert shared == (e["DEV-011"] == "not_ready"), (d["name"], serials[d["serial"].strip().lower()])
        has_local = bool(d.get("evidence"))
        assert (e["DEV-014"] == NE_DEV) != has_local, d["name"]

    tenant = OrderedDict((cid, st) for cid, (st, _) in TENANT_EXPECT.items())
    for cid, (st, _) in CURRENT_TENANT_CHANGES.items():
        tenant[cid] = st
    verdict = worst(tenant.values())
    assert not any(v == "error" for d in DEVICES for v in current_expect(d).values())
    in_scope_entra = [x for x in ENTRA_ONLY if x["in_scope"]]
    out_of_scope = len(NON_WINDOWS) + len([x for x in ENTRA_ONLY if not x["in_scope"]])
    names = [d["name"] for d in DEVICES]

    def key(d):
        return ("id:" + d["id"]) if names.count(d["name"]) > 1 else d["name"]

    t = []
    t.append("# Expectations for the whole sample tenant under profile `current` (tests/tests/sample_tenant.rs).")
    t.append("# Generated by tests/data/gen/sample_tenant.py; edit the generator, not this file. Same inputs and")
    t.append("# as_of as expected-2022-05.toml; derived from EXPECTED.md (the 2022-05 table) plus the `current`")
    t.append("# rules (shared/spec/checks.md \"Profile current\", shared/reference/prerequisites-history.md,")
    t.append("# device-evidence.md, endpoints.md). Every status equals EXPECTED.md's unless a comment says why not.")
    t.append("#")
    t.append("# Checks that exist only in `current`, unless a device's comment says otherwise:")
    for cid, (st, why) in CURRENT_DEFAULT.items():
        t.append("#   %s %s: %s" % (cid, st, why))
    t.append('description = "Contoso Pharma sample tenant, profile current, as of 2022-06-15"')
    t.append('profile = "current"')
    t.append('as_of = "%s"' % AS_OF_STR)
    t.append('inputs = ["."]')
    t.append("")
    t.append("[expect]")
    t.append('verdict = "%s"' % verdict)
    t.append("exit_code = %d" % EXIT[verdict])
    t.append("device_count = %d" % (len(DEVICES) + len(in_scope_entra)))
    t.append("out_of_scope = %d" % out_of_scope)
    t.append("")
    t.append("[expect.checks]")
    for cid, st in tenant.items():
        if cid in CURRENT_TENANT_CHANGES:
            t.append("# %s: %s" % (cid, CURRENT_TENANT_CHANGES[cid][1]))
        t.append('"%s" = "%s"' % (cid, st))
    for d in DEVICES:
        e = current_expect(d)
        t.append("")
        t.append('[expect.devices."%s"]' % key(d))
        if key(d).startswith("id:"):
            t.append("# %s (%s)" % (d["name"], "older record" if d["id"] == gid("intune", d["name"], "old")
                                     else "newer record"))
        _, why = CURRENT_CHANGES.get(current_key(d), ({}, []))
        old_v, new_v = worst(d["expect"].values()), worst(e.values())
        for w in why:
            t.append("# %s" % w)
        if old_v != new_v:
            t.append("# verdict %s in 2022-05" % old_v)
        t.append('verdict = "%s"' % new_v)
        for cid, st in e.items():
            t.append('"%s" = "%s"' % (cid, st))
    for x in in_scope_entra:
        t.append("")
        t.append('[expect.devices."%s"]' % x["name"])
        t.append("# Entra-only record: no Intune record, still fails DEV-001 (its Intune-record checks do not apply)")
        t.append('verdict = "not_ready"')
        t.append('"DEV-001" = "not_ready"')
        t.append('"DEV-010" = "not_applicable"')
        t.append('"DEV-011" = "not_applicable"')
        t.append("# trustType %s, the only record with its name" % x["trust"])
        t.append('"DEV-012" = "ready"')
        t.append('"DEV-013" = "ready"')
    t.append("")
    with open(os.path.join(OUT, "expected-current.toml"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(t))


if __name__ == "__main__":
    main()
