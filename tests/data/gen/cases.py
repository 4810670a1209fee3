#!/usr/bin/env python3
"""Generates the data-driven cases under tests/cases/<name>/ (case.toml + input files).

    python3 tests/data/gen/cases.py

Each case is small and about one scenario; its expectations are written by hand from
shared/spec/checks.md and only list what the case is about (the runner compares nothing else).
The script rewrites only the case folders it defines (never deletes other folders).
"""

import json
import os
import shutil
import sys
sys.dont_write_bytecode = True  # keep the repository free of __pycache__
from collections import OrderedDict
from datetime import timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *  # noqa: E402,F401,F403
from rollup import worst, EXIT  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CASES_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "cases"))

TID = "9b1f6c2e-4d3a-4f5b-8e7c-6a5d4c3b2a19"
TNAME = "Fabrikam Labs"
DOM = "fabrikam.example"

NE_DEV = "not_evaluated:needs_device_evidence"
NE_MI = "not_evaluated:missing_input"
NE_BETA = "not_evaluated:beta_only_field"
NE_TR = "not_evaluated:truncated_input"
NA = "not_applicable"

CASES = []


# ------------------------------------------------------------------------------------------ people / devices

def U(key, licenses=None, **kw):
    upn = "%s@%s" % (key, DOM)
    u = {"id": gid("case-user", upn), "upn": upn, "display": key.replace(".", " ").title(), "mail": upn,
         "usage_location": "US", "licenses": [lic(SPE_E3)] if licenses is None else licenses}
    u.update(kw)
    return u


ALEX = U("alex.wilber")


def D(name, **kw):
    """A Windows Intune device for a case; see md_v1/md_beta for the keys."""
    d = {"name": name, "id": gid("case-intune", name), "aad_id": gid("case-entra", name), "user": ALEX,
         "last_sync": ts(ago(days=1, hours=2)), "enrolled": ago(days=120, hours=3), "os_version": "10.0.19044.1706",
         "model": "Latitude 7420", "manufacturer": "Dell Inc.", "serial": gid("case-serial", name)[:7].upper(),
         "wifi_mac": gid("mac", name).replace("-", "").upper()[:12]}
    d.update(kw)
    return d


def comanaged(name, wu=True, dc=True, office=True, **kw):
    base = dict(agent="configurationManagerClientMdm", enrollment_type="windowsCoManagement",
                join_type="hybridAzureADJoined", trust="ServerAd", cm_client_version="5.00.9078.1006",
                features_v1=features_v1(wu=wu, dc=dc), features_beta=features_beta(wu=wu, dc=dc, office=office))
    base.update(kw)
    return D(name, **base)


def md_page(devs, api="v1.0", next_link=None, host=GRAPH, select=None):
    if api == "beta":
        recs = [md_beta(d) for d in devs]
        return page(context("deviceManagement/managedDevices", api="beta", select=BETA_SELECT, host=host), recs,
                    next_link=next_link)
    recs = [md_v1(d) for d in devs]
    if select:
        recs = [OrderedDict((k, v) for k, v in r.items() if k in select) for r in recs]
    return page(context("deviceManagement/managedDevices", select=select, host=host), recs, next_link=next_link)


def entra_for(d, **kw):
    e = {"device_id": d["aad_id"], "name": d["name"], "trust": d.get("trust", "AzureAd"), "enabled": True,
         "last_signin": ts(ago(hours=6)), "registered": ts(d["enrolled"] - timedelta(minutes=5)),
         "os_version": d["os_version"], "onprem_last_sync": ts(ago(hours=1)) if d.get("trust") == "ServerAd" else None}
    e.update(kw)
    return entra_device(e)


def entra_page(records, host=GRAPH):
    return page(context("devices", host=host), records)


def users_page(users, next_link=None, host=GRAPH):
    return page(context("users", select=USER_SELECT, host=host), [user(u) for u in users], next_link=next_link)


def skus(*items, host=GRAPH):
    return skus_page(TID, list(items), host=host)


def E3(enabled=50, consumed=12, **kw):
    return sku(TID, SPE_E3, enabled=enabled, consumed=consumed, **kw)


def org(sync=None, last=None, authority="intune", tenant=TID, name=TNAME, **kw):
    return org_page(organization(tenant, name, sync, last, authority=authority, domains=(DOM,), **kw))


def tenant_ready_files(devs, users=None, beta=True):
    """A complete, healthy export set around the given devices (cloud-only tenant, M365 E3)."""
    users = users if users is not None else [ALEX]
    f = OrderedDict()
    f["managedDevices.json"] = md_page(devs)
    if beta:
        f["managedDevices-beta.json"] = md_page(devs, api="beta")
    f["devices.json"] = entra_page([entra_for(d) for d in devs])
    f["users.json"] = users_page(users)
    f["subscribedSkus.json"] = skus(E3())
    f["organization.json"] = org()
    return f


# ------------------------------------------------------------------------------------------ raw encodings

def ps51_json(obj, level=0):
    """Windows PowerShell 5.1 ConvertTo-Json layout: 4-space indent, '"Key":  value', CRLF."""
    pad = "    " * level
    if isinstance(obj, dict):
        if not obj:
            return "{\r\n\r\n" + pad + "}"
        items = []
        for k, v in obj.items():
            items.append(pad + "    " + json.dumps(k) + ":  " + ps51_json(v, level + 1))
        return "{\r\n" + ",\r\n".join(items) + "\r\n" + pad + "}"
    if isinstance(obj, list):
        if not obj:
            return "[\r\n\r\n" + pad + "]"
        return "[\r\n" + ",\r\n".join(pad + "    " + ps51_json(v, level + 1) for v in obj) + "\r\n" + pad + "]"
    if isinstance(obj, PSDate):
        return '"\\/Date(%d)\\/"' % obj.ms
    return json.dumps(obj, ensure_ascii=False)


class PSDate:
    def __init__(self, dt):
        self.ms = ms_epoch(dt)


def ps_managed_device(d, date=lambda dt: PSDate(dt), features="object"):
    """A Get-MgDeviceManagementManagedDevice object (SDK property names) as ConvertTo-Json writes it."""
    r = OrderedDict()
    r["ActivationLockBypassCode"] = None
    r["AndroidSecurityPatchLevel"] = ""
    r["AzureAdDeviceId"] = d["aad_id"]
    r["AzureAdRegistered"] = True
    r["ComplianceGracePeriodExpirationDateTime"] = date(datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC))
    r["ComplianceState"] = "compliant"
    if features == "object":
        r["ConfigurationManagerClientEnabledFeatures"] = None if not d.get("features_v1") else OrderedDict(
            (k[0].upper() + k[1:], v) for k, v in d["features_v1"].items())
    else:
        r["ConfigurationManagerClientEnabledFeatures"] = features
    r["DeviceCategoryDisplayName"] = "Unknown"
    r["DeviceEnrollmentType"] = d.get("enrollment_type", "windowsAzureADJoin")
    r["DeviceName"] = d["name"]
    r["DeviceRegistrationState"] = "registered"
    r["EasActivated"] = False
    r["EmailAddress"] = d["user"]["mail"]
    r["EnrolledDateTime"] = date(d["enrolled"])
    r["Id"] = d["id"]
    r["IsEncrypted"] = True
    r["LastSyncDateTime"] = date(d["last_sync_dt"])
    r["ManagedDeviceName"] = managed_device_name(d["user"]["upn"], d["enrolled"])
    r["ManagedDeviceOwnerType"] = d.get("owner", "company")
    r["ManagementAgent"] = d.get("agent", "mdm")
    r["Manufacturer"] = d["manufacturer"]
    r["Model"] = d["model"]
    r["OSVersion"] = d["os_version"]
    r["OperatingSystem"] = "Windows"
    r["SerialNumber"] = d["serial"]
    r["UserDisplayName"] = d["user"]["display"]
    r["UserId"] = d["user"]["id"]
    r["UserPrincipalName"] = d["user"]["upn"]
    r["AdditionalProperties"] = OrderedDict()
    return r


def utf16(text, be=False):
    if be:
        return b"\xfe\xff" + text.encode("utf-16-be")
    return b"\xff\xfe" + text.encode("utf-16-le")


# ------------------------------------------------------------------------------------------ TOML

def tq(s):
    return json.dumps(s, ensure_ascii=False)


def emit_toml(c):
    L = ["# Generated by tests/data/gen/cases.py — edit the generator, not this file.",
         "description = %s" % tq(c["description"]),
         'profile = "%s"' % c.get("profile", "2022-05"),
         'as_of = "%s"' % c.get("as_of", AS_OF_STR),
         "inputs = [%s]" % ", ".join(tq(i) for i in c["inputs"])]
    for k in ("configmgr_version", "sync_client_version", "fail_on_devices"):
        if c.get(k):
            L.append("%s = %s" % (k, tq(c[k])))
    ex = c["expect"]
    L.append("")
    L.append("[expect]")
    for k in ("verdict", "exit_code", "device_count", "out_of_scope"):
        if k in ex:
            L.append("%s = %s" % (k, tq(ex[k]) if isinstance(ex[k], str) else ex[k]))
    if ex.get("checks"):
        L.append("")
        L.append("[expect.checks]")
        for cid in sorted(ex["checks"]):
            L.append("%s = %s" % (tq(cid), tq(ex["checks"][cid])))
    for dkey, body in ex.get("devices", {}).items():
        L.append("")
        L.append("[expect.devices.%s]" % tq(dkey))
        if "verdict" in body:
            L.append("verdict = %s" % tq(body["verdict"]))
        for cid in sorted(k for k in body if k != "verdict"):
            L.append("%s = %s" % (tq(cid), tq(body[cid])))
    for f, body in ex.get("inputs", {}).items():
        L.append("")
        L.append("[expect.inputs.%s]" % tq(f))
        for k, v in body.items():
            L.append("%s = %s" % (k, "true" if v is True else "false" if v is False else tq(v) if isinstance(v, str) else v))
    return "\n".join(L) + "\n"


def case(name, description, files, expect, inputs=None, **opts):
    """files: relative path -> dict/list (JSON, pretty), bytes (verbatim) or str (UTF-8 text)."""
    c = {"name": name, "description": description, "files": files, "expect": expect,
         "inputs": inputs if inputs is not None else list(files.keys())}
    c.update(opts)
    assert name not in [x["name"] for x in CASES], name
    CASES.append(c)


def write_case(c):
    d = os.path.join(CASES_DIR, c["name"])
    if os.path.isdir(d):
        shutil.rmtree(d)
    os.makedirs(d)
    for rel, content in c["files"].items():
        p = os.path.join(d, *rel.split("/"))
        if isinstance(content, bytes):
            write_bytes(p, content)
        elif isinstance(content, str):
            write_bytes(p, content.encode("utf-8"))
        else:
            write_json(p, content, "pretty")
    with open(os.path.join(d, "case.toml"), "w", encoding="utf-8", newline="\n") as f:
        f.write(emit_toml(c))


# ========================================================================================== INP-001 + formats

def inputs_and_formats():
    good = D("PC-0001")
    # --- everything parses, tenant ready from Graph exports alone
    files = tenant_ready_files([good])
    case("tenant-ready-from-graph-exports-alone",
         "A healthy cloud-only tenant is `ready` from Graph exports alone; the network is shown as not checked "
         "(NET-001 not_evaluated(needs_device_evidence) rolls up to nothing); no ConfigMgr -> CM-* not_applicable; "
         "cloud-only -> IDN-002 not_applicable",
         files,
         {"verdict": "ready", "exit_code": 0, "device_count": 1, "out_of_scope": 0,
          "checks": {"INP-001": "ready", "LIC-001": "ready", "LIC-002": "ready", "LIC-003": "ready",
                     "LIC-004": "ready", "IDN-001": "ready", "IDN-002": NA, "MGT-001": "ready", "NET-001": NE_DEV,
                     "PRV-001": "info", "CM-001": NA, "CM-002": NA, "CM-003": NA, "CM-004": NA, "CM-005": NA},
          "devices": {"PC-0001": {"verdict": "ready", "DEV-001": "ready", "DEV-002": "ready", "DEV-003": "ready",
                                  "DEV-004": "ready", "DEV-005": NA, "DEV-006": "ready", "DEV-007": "ready",
                                  "DEV-008": NE_DEV, "DEV-009": NE_DEV}},
          "inputs": {"managedDevices.json": {"resource": "managedDevices", "api": "v1.0", "records": 1, "pages": 1,
                                             "truncated": False},
                     "managedDevices-beta.json": {"resource": "managedDevices", "api": "beta", "records": 1},
                     "devices.json": {"resource": "devices", "records": 1},
                     "users.json": {"resource": "users", "records": 1},
                     "subscribedSkus.json": {"resource": "subscribedSkus", "records": 1},
                     "organization.json": {"resource": "organization", "records": 1}}})

    csv = ("Device name,Managed by,Ownership,Compliance,OS,OS version,Last check-in,Primary user UPN\r\n"
           "PC-0001,Intune,Corporate,Compliant,Windows,10.0.19044.1706,6/14/2022 10:02:11 PM,alex.wilber@fabrikam.example\r\n")
    case("inp-001-error-csv-instead-of-json",
         "INP-001: a CSV export from the Intune portal saved as subscribedSkus.json is not JSON -> INP-001 error "
         "naming the file; the licence checks that depend on it are not_evaluated(missing_input); verdict error, "
         "exit 3",
         {"subscribedSkus.json": csv},
         {"verdict": "error", "exit_code": 3,
          "checks": {"INP-001": "error", "LIC-001": NE_MI, "LIC-003": NE_MI, "LIC-004": NE_MI}})

    page1 = md_page([good])
    text = dumps(page1, "compact")
    case("fmt-not-json-truncated-text",
         "A Graph page whose text was cut off mid-record (copy/paste) is not JSON -> INP-001 error, exit 3",
         {"managedDevices.json": text[: len(text) // 2]},
         {"verdict": "error", "exit_code": 3, "checks": {"INP-001": "error", "CM-002": NE_MI}})

    case("fmt-empty-file", "An empty (0-byte) input file is unusable -> INP-001 error, verdict error, exit 3",
         {"managedDevices.json": b""},
         {"verdict": "error", "exit_code": 3, "checks": {"INP-001": "error"}})

    case("fmt-deep-nesting",
         "10 000 nested arrays (valid JSON syntax, absurd depth) exceed the nesting limit -> INP-001 error, no "
         "crash or stack overflow; exit 3",
         {"nested.json": b"[" * 10000 + b"]" * 10000},
         {"verdict": "error", "exit_code": 3, "checks": {"INP-001": "error"}})

    case("fmt-deep-nesting-unclosed",
         "10 000 '[' with no closing bracket -> INP-001 error, no crash; exit 3",
         {"nested.json": b"[" * 10000},
         {"verdict": "error", "exit_code": 3, "checks": {"INP-001": "error"}})

    body = dumps(md_page([good]), "pretty")
    case("fmt-utf8-bom", "UTF-8 with a byte-order mark is accepted like plain UTF-8",
         {"managedDevices.json": b"\xef\xbb\xbf" + body.encode("utf-8")},
         {"checks": {"INP-001": "ready"}, "device_count": 1,
          "devices": {"PC-0001": {"DEV-001": "ready", "DEV-003": "ready"}},
          "inputs": {"managedDevices.json": {"resource": "managedDevices", "records": 1}}})
    crlf = body.replace("\n", "\r\n")
    case("fmt-utf16le-bom",
         "UTF-16 LE with BOM (what Windows PowerShell 5.1 `Out-File` writes, CRLF line ends) is accepted",
         {"managedDevices.json": utf16(crlf)},
         {"checks": {"INP-001": "ready"}, "device_count": 1,
          "devices": {"PC-0001": {"DEV-001": "ready", "DEV-003": "ready"}},
          "inputs": {"managedDevices.json": {"resource": "managedDevices", "records": 1}}})
    case("fmt-utf16be-bom", "UTF-16 BE with BOM is accepted",
         {"managedDevices.json": utf16(crlf, be=True)},
         {"checks": {"INP-001": "ready"}, "device_count": 1,
          "devices": {"PC-0001": {"DEV-001": "ready", "DEV-003": "ready"}},
          "inputs": {"managedDevices.json": {"resource": "managedDevices", "records": 1}}})

    recep = D("PC-RÉCEPTION")
    ansi = dumps(md_page([recep]), "pretty").encode("cp1252")
    assert b"\xc9" in ansi
    case("fmt-ansi-invalid-utf8",
         "Windows-1252 bytes without a BOM (`Set-Content` in Windows PowerShell 5.1; 'É' = 0xC9) are not valid "
         "UTF-8 -> INP-001 error naming the likely cause (ANSI); never a silent read; exit 3",
         {"managedDevices.json": ansi},
         {"verdict": "error", "exit_code": 3, "checks": {"INP-001": "error"}})

    bad = D("PC-0002")
    recs = [md_v1(good), md_v1(bad)]
    recs[1]["lastSyncDateTime"] = 1655164800
    case("fmt-wrong-type-one-record",
         "A number where a string belongs (lastSyncDateTime: 1655164800) in one record: INP-001 error, that record "
         "errs alone (its device verdict error, DEV-003 error) while the other device is evaluated; a device "
         "error raises the overall verdict to error (exit 3)",
         {"managedDevices.json": page(context("deviceManagement/managedDevices"), recs)},
         {"verdict": "error", "exit_code": 3, "checks": {"INP-001": "error"},
          "devices": {"PC-0001": {"DEV-003": "ready"},
                      "PC-0002": {"verdict": "error", "DEV-003": "error"}}})

    wrong = OrderedDict([("@odata.context", context("deviceManagement/managedDevices")), ("value", md_v1(good))])
    case("fmt-wrong-type-value-object",
         "`value` is an object instead of an array: the file is unusable -> INP-001 error; checks on "
         "managedDevices are not_evaluated(missing_input); exit 3",
         {"managedDevices.json": wrong},
         {"verdict": "error", "exit_code": 3, "checks": {"INP-001": "error", "CM-002": NE_MI}})

    case("fmt-missing-value",
         "A collection page with @odata.context but no `value` -> INP-001 error, exit 3",
         {"managedDevices.json": OrderedDict([("@odata.context", context("deviceManagement/managedDevices")),
                                              ("@odata.count", 1)])},
         {"verdict": "error", "exit_code": 3, "checks": {"INP-001": "error"}})

    groups = page(context("groups"), [OrderedDict([("id", gid("group", "all")), ("displayName", "All staff"),
                                                   ("mailEnabled", False), ("securityEnabled", True)])])
    case("fmt-unknown-resource",
         "A Graph page of a resource the engine does not use (groups) is reported, not silently dropped -> INP-001 "
         "error, exit 3",
         {"groups.json": groups},
         {"verdict": "error", "exit_code": 3, "checks": {"INP-001": "error"}})

    case("fmt-unknown-resource-no-context",
         "A JSON object that is no Graph export at all ({\"foo\": …}, no @odata.context, no known keys) -> "
         "INP-001 error, exit 3",
         {"settings.json": OrderedDict([("foo", 1), ("bar", [True, False])])},
         {"verdict": "error", "exit_code": 3, "checks": {"INP-001": "error"}})

    # --- page chains
    a, b, c = D("PC-0101"), D("PC-0102"), D("PC-0103")
    u_ok = [ALEX]
    nl = md_next_link("v1.0", 2, "PC-0102", b["id"])
    case("fmt-truncated-page-chain",
         "Only page 1 of managedDevices (it has @odata.nextLink, no final page) -> the input is truncated: checks "
         "that depend on the device list are not_evaluated(truncated_input) and the inventory says 1 page seen",
         {"managedDevices.page1.json": md_page([a, b], next_link=nl), "users.json": users_page(u_ok)},
         {"checks": {"CM-001": NE_TR, "CM-002": NE_TR, "CM-003": NE_TR, "CM-004": NE_TR, "CM-005": NE_TR,
                     "LIC-002": NE_TR},
          "inputs": {"managedDevices.page1.json": {"resource": "managedDevices", "records": 2, "pages": 1,
                                                   "truncated": True}}})

    case("fmt-array-of-pages",
         "One file holding a JSON array of two pages (page 1 with @odata.nextLink, page 2 without) is complete",
         {"managedDevices.json": [md_page([a, b], next_link=nl), md_page([c])]},
         {"device_count": 3, "checks": {"INP-001": "ready", "CM-002": NA},
          "devices": {"PC-0101": {"DEV-003": "ready"}, "PC-0103": {"DEV-003": "ready"}},
          "inputs": {"managedDevices.json": {"resource": "managedDevices", "records": 3, "pages": 2,
                                             "truncated": False}}})

    case("fmt-array-of-records",
         "A JSON array of managedDevice records (pages already merged, no @odata.context): resource detected from "
         "the record keys",
         {"intune-export.json": [md_v1(a), md_v1(b)]},
         {"device_count": 2, "checks": {"INP-001": "ready", "CM-002": NA},
          "devices": {"PC-0101": {"DEV-001": "ready"}, "PC-0102": {"DEV-001": "ready"}},
          "inputs": {"intune-export.json": {"resource": "managedDevices", "records": 2, "truncated": False}}})

    case("fmt-folder-of-pages",
         "A folder of page files (input named as a folder): pages found recursively, named by their path relative "
         "to the case folder; the chain is closed by page 2",
         {"export/managedDevices/page-001.json": md_page([a, b], next_link=nl),
          "export/managedDevices/page-002.json": md_page([c])},
         {"device_count": 3, "checks": {"INP-001": "ready", "CM-002": NA},
          "inputs": {"export/managedDevices/page-001.json": {"resource": "managedDevices", "records": 2,
                                                              "truncated": False},
                     "export/managedDevices/page-002.json": {"resource": "managedDevices", "records": 1,
                                                              "truncated": False}}},
         inputs=["export"])

    case("fmt-pages-out-of-order",
         "Page files handed over last page first (file names sort the other way) still form one complete chain",
         {"a-last.json": md_page([c]), "b-first.json": md_page([a, b], next_link=nl)},
         {"device_count": 3, "checks": {"CM-002": NA},
          "inputs": {"b-first.json": {"truncated": False}, "a-last.json": {"truncated": False}}},
         inputs=["b-first.json", "a-last.json"])

    # --- organization as a single object
    one = organization(TID, TNAME, None, None, authority="intune", domains=(DOM,))
    ent = OrderedDict([("@odata.context", context("organization", select=ORG_SELECT, entity=True))])
    ent.update(one)
    case("fmt-single-organization-object",
         "GET /organization/{id} returns one object (@odata.context ending in /$entity), not a collection page",
         {"organization.json": ent},
         {"checks": {"INP-001": "ready", "MGT-001": "ready", "IDN-001": "ready"},
          "inputs": {"organization.json": {"resource": "organization", "records": 1}}})
    case("fmt-single-organization-object-no-context",
         "A bare organization object without @odata.context (saved from a script): detected from its keys",
         {"org.json": one},
         {"checks": {"INP-001": "ready", "MGT-001": "ready", "IDN-001": "ready"},
          "inputs": {"org.json": {"resource": "organization"}}})

    # --- PowerShell output
    p1 = D("PC-PS-01", last_sync_dt=AS_OF - timedelta(days=14))      # 2022-06-01T00:00:00Z = 1654041600000 ms
    p2 = D("PC-PS-02", last_sync_dt=AS_OF - timedelta(days=40))
    assert ms_epoch(p1["last_sync_dt"]) == 1654041600000
    text = ps51_json([ps_managed_device(p1), ps_managed_device(p2)])
    assert '"\\/Date(1654041600000)\\/"' in text
    case("fmt-ps51-convertto-json",
         "Windows PowerShell 5.1 `Get-MgDeviceManagementManagedDevice -All | ConvertTo-Json -Depth 5 | Set-Content "
         "-Encoding UTF8`: SDK property names (Id, DeviceName, AzureAdDeviceId, OSVersion, ManagementAgent, "
         "ManagedDeviceOwnerType), dates as \"\\/Date(ms)\\/\", UTF-8 BOM, CRLF. 1654041600000 = 2022-06-01 (14 "
         "days -> ready); 40 days -> not_ready",
         {"managedDevices.json": b"\xef\xbb\xbf" + text.encode("utf-8") + b"\r\n"},
         {"checks": {"INP-001": "ready"}, "device_count": 2,
          "devices": {"PC-PS-01": {"DEV-001": "ready", "DEV-002": "ready", "DEV-003": "ready"},
                      "PC-PS-02": {"DEV-001": "ready", "DEV-002": "ready", "DEV-003": "not_ready"}},
          "inputs": {"managedDevices.json": {"resource": "managedDevices", "records": 2}}})

    text1 = ps51_json(ps_managed_device(p1))
    case("fmt-ps51-single-object",
         "ConvertTo-Json writes a one-item result as a bare object, not an array (here saved with Windows "
         "PowerShell 5.1 `Out-File`: UTF-16 LE with BOM): still one managedDevice record (detected from its keys), "
         "not an organization",
         {"managedDevices.json": utf16(text1 + "\r\n")},
         {"checks": {"INP-001": "ready"}, "device_count": 1,
          "devices": {"PC-PS-01": {"DEV-001": "ready", "DEV-003": "ready"}},
          "inputs": {"managedDevices.json": {"resource": "managedDevices", "records": 1}}})

    cm = comanaged("PC-PS-CM", last_sync_dt=AS_OF - timedelta(days=2))
    trunc = ps_managed_device(
        cm, features="Microsoft.Graph.PowerShell.Models.MicrosoftGraphConfigurationManagerClientEnabledFeatures")
    case("fmt-ps-depth-truncated",
         "ConvertTo-Json without enough -Depth wrote a nested object as its type name "
         "(\"Microsoft.Graph.PowerShell.Models.MicrosoftGraphConfigurationManagerClientEnabledFeatures\"): detected "
         "and reported as an error, never read as 'no workloads'; exit 3",
         {"managedDevices.json": ps51_json([trunc]) + "\r\n"},
         {"verdict": "error", "exit_code": 3, "checks": {"INP-001": "error"}})

    def ps7_sku(s):
        r = OrderedDict()
        r["AccountId"] = None
        r["AccountName"] = None
        r["AppliesTo"] = s["appliesTo"]
        r["CapabilityStatus"] = s["capabilityStatus"]
        r["ConsumedUnits"] = s["consumedUnits"]
        r["Id"] = s["id"]
        pu = OrderedDict((k[0].upper() + k[1:], v) for k, v in s["prepaidUnits"].items())
        pu["AdditionalProperties"] = OrderedDict()
        r["PrepaidUnits"] = pu
        sps = []
        for sp in s["servicePlans"]:
            x = OrderedDict((k[0].upper() + k[1:], v) for k, v in sp.items())
            x["AdditionalProperties"] = OrderedDict()
            sps.append(x)
        r["ServicePlans"] = sps
        r["SkuId"] = s["skuId"]
        r["SkuPartNumber"] = s["skuPartNumber"]
        r["SubscriptionIds"] = []
        r["AdditionalProperties"] = OrderedDict()
        return r

    ps7 = json.dumps([ps7_sku(E3()), ps7_sku(sku(TID, STANDARDPACK, enabled=10, consumed=3))], indent=2,
                     ensure_ascii=False)
    case("fmt-ps7-subscribed-skus",
         "PowerShell 7 `Get-MgSubscribedSku | ConvertTo-Json -Depth 5`: PascalCase (SkuId, CapabilityStatus, "
         "PrepaidUnits.Enabled, ServicePlans[].ServicePlanId, ProvisioningStatus) -> licence checks evaluated",
         {"subscribedSkus.json": ps7 + "\n"},
         {"checks": {"INP-001": "ready", "LIC-001": "ready", "LIC-003": "ready", "LIC-004": "ready"},
          "inputs": {"subscribedSkus.json": {"resource": "subscribedSkus", "records": 2}}})

    # --- national clouds
    us = "https://graph.microsoft.us"
    case("fmt-national-cloud-us",
         "Exports from the US Government cloud (graph.microsoft.us in @odata.context) are read like the public "
         "cloud",
         {"managedDevices.json": md_page([good], host=us), "subscribedSkus.json": skus(E3(), host=us)},
         {"checks": {"INP-001": "ready", "LIC-001": "ready"}, "device_count": 1,
          "devices": {"PC-0001": {"DEV-001": "ready", "DEV-003": "ready"}},
          "inputs": {"managedDevices.json": {"resource": "managedDevices", "api": "v1.0", "records": 1}}})
    cn = "https://microsoftgraph.chinacloudapi.cn"
    case("fmt-national-cloud-china",
         "Exports from the cloud operated by 21Vianet (microsoftgraph.chinacloudapi.cn) are read like the public "
         "cloud",
         {"managedDevices.json": md_page([good], host=cn)},
         {"checks": {"INP-001": "ready"}, "device_count": 1, "devices": {"PC-0001": {"DEV-001": "ready"}}})

    # --- mixed tenants
    other = "0a1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d"
    case("fmt-mixed-tenants",
         "Two organization exports with different tenant ids: inputs from two tenants are an error (INP-001), "
         "verdict error, exit 3",
         {"organization-fabrikam.json": org(), "organization-other.json": org(tenant=other, name="Northwind")},
         {"verdict": "error", "exit_code": 3, "checks": {"INP-001": "error"}})

    # --- v1.0 + beta merge
    m = D("PC-MERGE", last_sync=ts(ago(days=30)))
    beta_rec = md_beta(m)
    beta_rec["lastSyncDateTime"] = ts(ago(days=2))
    bsel = BETA_SELECT + ["lastSyncDateTime"]
    beta_pg = page(context("deviceManagement/managedDevices", api="beta", select=bsel), [beta_rec])
    case("fmt-beta-merge-beta-wins",
         "The same device in a v1.0 and a beta export is one device, merged field by field, beta wins: beta "
         "lastSyncDateTime (2 days) overrides v1.0 (30 days) -> DEV-003 ready; beta skuNumber/processorArchitecture "
         "-> DEV-004 ready",
         {"managedDevices.json": md_page([m]), "managedDevices-beta.json": beta_pg},
         {"device_count": 1,
          "devices": {"PC-MERGE": {"DEV-003": "ready", "DEV-004": "ready"}},
          "inputs": {"managedDevices-beta.json": {"resource": "managedDevices", "api": "beta", "records": 1}}})

    full_beta = md_v1(good)
    full_beta.update(md_beta(good))
    full_beta["@odata.type"] = "#microsoft.graph.managedDevice"
    case("fmt-beta-only-export",
         "Only a beta export (unselected, so every v1.0 field is there too, plus @odata.type on each item): the "
         "devices are evaluated, including DEV-004 from beta skuNumber/processorArchitecture",
         {"managedDevices-beta.json": page(context("deviceManagement/managedDevices", api="beta"), [full_beta])},
         {"device_count": 1,
          "devices": {"PC-0001": {"DEV-001": "ready", "DEV-003": "ready", "DEV-004": "ready"}},
          "inputs": {"managedDevices-beta.json": {"resource": "managedDevices", "api": "beta"}}})

    # --- timestamps
    t1 = D("PC-TS-FRACTION", last_sync="2022-06-10T08:12:44.1234567Z")
    t2 = D("PC-TS-OFFSET", last_sync="2022-05-18T01:00:00+02:00")
    t3 = D("PC-TS-NO-OFFSET", last_sync="2022-05-18T01:00:00")
    case("fmt-timestamp-forms",
         "Timestamps: 7 fractional digits (ready); '2022-05-18T01:00:00+02:00' = 2022-05-17T23:00:00Z, 28 d 1 h "
         "before as_of -> not_ready (the offset is applied); '2022-05-18T01:00:00' without offset is read as UTC "
         "(27 d 23 h -> advisory, noted in the evidence)",
         {"managedDevices.json": md_page([t1, t2, t3])},
         {"devices": {"PC-TS-FRACTION": {"DEV-003": "ready"}, "PC-TS-OFFSET": {"DEV-003": "not_ready"},
                      "PC-TS-NO-OFFSET": {"DEV-003": "advisory"}}})

    # --- GUID case, unknown fields
    g = D("PC-GUID")
    rec = md_v1(g)
    rec["azureADDeviceId"] = g["aad_id"].upper()
    rec["contosoInventoryTag"] = OrderedDict([("tag", "FAB-000123"), ("costCenter", 4711)])
    case("fmt-guid-case-and-unknown-fields",
         "GUIDs compare case-insensitively (uppercase azureADDeviceId joins the lowercase Entra deviceId -> DEV-006 "
         "ready); unknown fields are ignored",
         {"managedDevices.json": page(context("deviceManagement/managedDevices"), [rec]),
          "devices.json": entra_page([entra_for(g)])},
         {"checks": {"INP-001": "ready"}, "devices": {"PC-GUID": {"DEV-006": "ready", "DEV-001": "ready"}}})

    # --- snapshot bundles
    s1, s2, s3 = D("PC-SNAP-01"), D("PC-SNAP-02"), D("PC-SNAP-03")
    req_md = "https://graph.microsoft.com/v1.0/deviceManagement/managedDevices"
    nl_s = md_next_link("v1.0", 2, "PC-SNAP-02", s2["id"])
    ev = device_evidence("PC-SNAP-01", s1["serial"], dsreg=dsregcmd("PC-SNAP-01", s1["aad_id"], TID, TNAME,
                                                                    upn=ALEX["upn"]),
                         probes=[probe(h) for h in ENDPOINTS_2022])
    graph = [(req_md, md_page([s1, s2], next_link=nl_s)),
             ("https://graph.microsoft.com/v1.0/subscribedSkus", skus(E3())),
             (nl_s, md_page([s3])),
             ("https://graph.microsoft.com/v1.0/organization?$select=" + ",".join(ORG_SELECT), org()),
             ("https://graph.microsoft.com/v1.0/users?$select=" + ",".join(USER_SELECT), users_page([ALEX]))]
    case("fmt-snapshot-bundle",
         "An apready.snapshot/1 bundle: raw pages per resource (a managedDevices chain split around other "
         "resources) plus device-local evidence with probes for one device",
         {"snapshot.json": bundle(devices=[ev], graph=graph, complete=True)},
         {"device_count": 3,
          "checks": {"INP-001": "ready", "LIC-001": "ready", "MGT-001": "ready", "LIC-002": "ready",
                     "NET-001": "ready", "CM-002": NA},
          "devices": {"PC-SNAP-01": {"DEV-003": "ready", "DEV-008": "ready", "DEV-009": "ready"},
                      "PC-SNAP-03": {"DEV-003": "ready", "DEV-008": NE_DEV, "DEV-009": NE_DEV}}})

    case("fmt-snapshot-incomplete",
         "A bundle marked complete:false whose managedDevices chain stops after page 1 (the request for page 2 "
         "failed after retries) -> managedDevices truncated: CM-002 not_evaluated(truncated_input)",
         {"snapshot.json": bundle(graph=[(req_md, md_page([s1, s2], next_link=nl_s))], complete=False)},
         {"checks": {"CM-002": NE_TR, "CM-003": NE_TR}})

    newer = bundle(devices=[], graph=[], schema="apready.snapshot/2")
    case("fmt-snapshot-newer-schema",
         "A bundle written by a newer collector (apready.snapshot/2) is an error, not a guess; exit 3",
         {"snapshot.json": newer},
         {"verdict": "error", "exit_code": 3, "checks": {"INP-001": "error"}})

    case("no-inputs-at-all",
         "No input file at all: every Graph-based check is not_evaluated(missing_input), PRV-001 still info",
         {}, {"checks": {"PRV-001": "info", "LIC-001": NE_MI, "LIC-002": NE_MI, "IDN-001": NE_MI, "MGT-001": NE_MI,
                         "NET-001": NE_DEV, "CM-002": NE_MI}}, inputs=[])


# ========================================================================================== licences

def licences():
    dev = D("PC-0001")
    case("lic-001-ready-m365-e3",
         "LIC-001 ready: SPE_E3 (Microsoft 365 E3, 05e9a617-…) Enabled with 50 enabled units, 12 consumed; "
         "its AAD_PREMIUM and INTUNE_A plans make LIC-003/LIC-004 ready",
         {"subscribedSkus.json": skus(E3(), sku(TID, FLOW_FREE, enabled=10000, consumed=4))},
         {"checks": {"LIC-001": "ready", "LIC-003": "ready", "LIC-004": "ready"}})
    case("lic-001-ready-windows-e3-vda",
         "LIC-001 ready: WIN10_VDA_E3 (Windows 10/11 Enterprise E3) counts as an entitling product",
         {"subscribedSkus.json": skus(sku(TID, WIN10_VDA_E3, enabled=40, consumed=30),
                                      sku(TID, EMS_E3, enabled=40, consumed=30))},
         {"checks": {"LIC-001": "ready", "LIC-003": "ready", "LIC-004": "ready"}})
    case("lic-001-ready-shared-fixture",
         "LIC-001 ready from the sample tenant's subscribedSkus.json referenced outside the case folder "
         "(passed to the engine by file name only)",
         {}, {"checks": {"LIC-001": "ready"}, "inputs": {"subscribedSkus.json": {"resource": "subscribedSkus"}}},
         inputs=["../../data/sample-tenant/subscribedSkus.json"])
    case("lic-001-advisory-warning-state",
         "LIC-001 advisory: the only entitling SKU is in Warning (grace) state: capabilityStatus Warning, "
         "prepaidUnits.enabled 0, warning 50",
         {"subscribedSkus.json": skus(E3(enabled=0, consumed=40, status="Warning", warning=50))},
         {"checks": {"LIC-001": "advisory"}})
    case("lic-001-advisory-all-seats-consumed",
         "LIC-001 advisory: SPE_E3 Enabled but all seats consumed (consumedUnits 50 = prepaidUnits.enabled 50)",
         {"subscribedSkus.json": skus(E3(enabled=50, consumed=50))},
         {"checks": {"LIC-001": "advisory"}})
    case("lic-001-not-ready-no-entitling-sku",
         "LIC-001 not_ready: Office 365 E1, EMS E3 and Microsoft 365 Business Premium (SPB, entitling only in "
         "profile `current`) — none entitles in 2022-05; EMS still gives Entra ID P1 and Intune",
         {"subscribedSkus.json": skus(sku(TID, STANDARDPACK, enabled=100, consumed=80),
                                      sku(TID, EMS_E3, enabled=100, consumed=80),
                                      sku(TID, SPB, enabled=20, consumed=20))},
         {"checks": {"LIC-001": "not_ready", "LIC-003": "ready", "LIC-004": "ready"}})
    case("lic-001-not-ready-suspended",
         "LIC-001 not_ready: SPE_E3 Suspended (not counted), nothing else entitles; its plans do not count for "
         "LIC-003/LIC-004 either",
         {"subscribedSkus.json": skus(E3(enabled=0, consumed=40, status="Suspended", suspended=50),
                                      sku(TID, STANDARDPACK, enabled=10, consumed=3))},
         {"checks": {"LIC-001": "not_ready", "LIC-003": "not_ready", "LIC-004": "not_ready"}})
    case("lic-not-evaluated-without-subscribed-skus",
         "Without a subscribedSkus export, LIC-001, LIC-003 and LIC-004 are not_evaluated(missing_input), never "
         "not_ready",
         {"organization.json": org()},
         {"checks": {"LIC-001": NE_MI, "LIC-003": NE_MI, "LIC-004": NE_MI}})

    # LIC-002 / DEV-007 via users
    a, b, c = U("ada.lovelace"), U("bob.nolicense", licenses=[lic(STANDARDPACK)]), \
        U("cy.planoff", licenses=[lic(SPE_E3, disabled=[P_WIN_ENT])])
    d1, d2, d3 = D("PC-L2-A", user=a), D("PC-L2-B", user=b), D("PC-L2-C", user=c)
    case("lic-002-advisory-some-users-unlicensed",
         "LIC-002 advisory: of three primary users one holds SPE_E3, one only Office 365 E1, one SPE_E3 with the "
         "Windows Enterprise plan (WIN10_PRO_ENT_SUB) disabled -> 'some do not'; DEV-007 per device",
         {"managedDevices.json": md_page([d1, d2, d3]), "users.json": users_page([a, b, c])},
         {"checks": {"LIC-002": "advisory"},
          "devices": {"PC-L2-A": {"DEV-007": "ready"}, "PC-L2-B": {"DEV-007": "not_ready"},
                      "PC-L2-C": {"DEV-007": "not_ready"}}})
    g = U("gina.group", licenses=[lic(SPE_E3, group=gid("group", "lic"))])
    h = U("hal.direct", licenses=[lic(SPE_E5)])
    case("lic-002-ready-all-users-licensed",
         "LIC-002 ready: both primary users hold an entitling licence (SPE_E3 via group, SPE_E5 direct)",
         {"managedDevices.json": md_page([D("PC-L2-G", user=g), D("PC-L2-H", user=h)]),
          "users.json": users_page([g, h])},
         {"checks": {"LIC-002": "ready"},
          "devices": {"PC-L2-G": {"DEV-007": "ready"}, "PC-L2-H": {"DEV-007": "ready"}}})
    n1, n2 = U("nia.e1", licenses=[lic(STANDARDPACK)]), U("ned.none", licenses=[])
    case("lic-002-not-ready-no-user-licensed",
         "LIC-002 not_ready: no primary user holds an entitling licence (Office 365 E1 only; no licence at all)",
         {"managedDevices.json": md_page([D("PC-L2-N1", user=n1), D("PC-L2-N2", user=n2)]),
          "users.json": users_page([n1, n2])},
         {"checks": {"LIC-002": "not_ready"},
          "devices": {"PC-L2-N1": {"DEV-007": "not_ready"}, "PC-L2-N2": {"DEV-007": "not_ready"}}})
    case("lic-002-not-evaluated-without-users",
         "LIC-002 not_evaluated(missing_input) without a users export; DEV-007 likewise",
         {"managedDevices.json": md_page([d1])},
         {"checks": {"LIC-002": NE_MI}, "devices": {"PC-L2-A": {"DEV-007": NE_MI}}})
    k1 = D("PC-KIOSK-1", user=None)
    case("lic-002-not-applicable-no-primary-users",
         "LIC-002 not_applicable: the only in-scope devices have no primary user (an aggregate over an empty "
         "set); DEV-007 advisory for the shared device",
         {"managedDevices.json": md_page([k1]), "users.json": users_page([a])},
         {"checks": {"LIC-002": NA}, "devices": {"PC-KIOSK-1": {"DEV-007": "advisory"}}})

    # LIC-003
    case("lic-003-ready-standalone-p2",
         "LIC-003 ready through a standalone Entra ID P2 SKU (AAD_PREMIUM_P2) next to Windows E3 VDA",
         {"subscribedSkus.json": skus(sku(TID, WIN10_VDA_E3, enabled=20, consumed=5),
                                      sku(TID, AAD_PREMIUM_P2_SKU, enabled=20, consumed=5))},
         {"checks": {"LIC-003": "ready", "LIC-001": "ready", "LIC-004": "not_ready"}})
    case("lic-003-advisory-pending-activation",
         "LIC-003 advisory: the only Entra ID P1 plan (AAD_PREMIUM on SPE_E3) is PendingActivation",
         {"subscribedSkus.json": skus(E3(plan_status={P_AAD_P1: "PendingActivation"}))},
         {"checks": {"LIC-003": "advisory", "LIC-004": "ready", "LIC-001": "ready"}})
    case("lic-003-not-ready-no-premium-plan",
         "LIC-003 and LIC-004 not_ready: Windows E3 VDA + Office 365 E1 carry neither Entra ID P1/P2 nor Intune; "
         "LIC-001 ready",
         {"subscribedSkus.json": skus(sku(TID, WIN10_VDA_E3, enabled=20, consumed=5),
                                      sku(TID, STANDARDPACK, enabled=20, consumed=5))},
         {"checks": {"LIC-001": "ready", "LIC-003": "not_ready", "LIC-004": "not_ready"}})
    case("lic-003-not-ready-premium-sku-locked-out",
         "LIC-003 not_ready: the Entra ID P1 plan is only on an EMS E3 SKU that is LockedOut (not counted)",
         {"subscribedSkus.json": skus(sku(TID, WIN10_VDA_E3, enabled=20, consumed=5),
                                      sku(TID, EMS_E3, enabled=0, consumed=5, status="LockedOut"))},
         {"checks": {"LIC-003": "not_ready", "LIC-004": "not_ready"}})

    # LIC-004
    case("lic-004-ready-standalone-intune",
         "LIC-004 ready through a standalone Intune SKU (INTUNE_A) with Entra ID P1 standalone and Windows E3 VDA",
         {"subscribedSkus.json": skus(sku(TID, WIN10_VDA_E3, enabled=20, consumed=5),
                                      sku(TID, AAD_PREMIUM_SKU, enabled=20, consumed=5),
                                      sku(TID, INTUNE_A_SKU, enabled=20, consumed=5))},
         {"checks": {"LIC-001": "ready", "LIC-003": "ready", "LIC-004": "ready"}})
    case("lic-004-not-ready-no-intune",
         "LIC-004 not_ready: Windows E3 VDA + Entra ID P1 standalone, no Intune plan anywhere",
         {"subscribedSkus.json": skus(sku(TID, WIN10_VDA_E3, enabled=20, consumed=5),
                                      sku(TID, AAD_PREMIUM_SKU, enabled=20, consumed=5))},
         {"checks": {"LIC-003": "ready", "LIC-004": "not_ready"}})
    case("lic-004-not-ready-intune-plan-disabled",
         "LIC-004 not_ready: the only Intune plan (INTUNE_A on SPE_E3) has provisioningStatus Disabled — not "
         "'enabled on an active SKU'",
         {"subscribedSkus.json": skus(E3(plan_status={P_INTUNE: "Disabled"}))},
         {"checks": {"LIC-004": "not_ready", "LIC-003": "ready", "LIC-001": "ready"}})


# ========================================================================================== identity / MDM

def identity():
    case("idn-001-ready-cloud-only",
         "IDN-001 ready: onPremisesSyncEnabled null (never synced; the cloud is the source of authority); IDN-002 "
         "not_applicable (only when sync is enabled)",
         {"organization.json": org(sync=None, last=None)},
         {"checks": {"IDN-001": "ready", "IDN-002": NA}})
    case("idn-001-ready-sync-switched-off",
         "IDN-001 ready: onPremisesSyncEnabled false (was synced, no longer) means the cloud is the authority; "
         "IDN-002 not_applicable",
         {"organization.json": org(sync=False, last="2021-03-02T10:11:12Z")},
         {"checks": {"IDN-001": "ready", "IDN-002": NA}})
    case("idn-001-ready-synced-recently",
         "IDN-001 ready: sync enabled, last sync 40 minutes before as_of; IDN-002 ready: Azure AD Connect 2.1.1.0 "
         "(2022-03-24) is the latest release on or before 2022-06-15",
         {"organization.json": org(sync=True, last=ts(ago(minutes=40))),
          "onPremisesSynchronization.json": sync_page("2.1.1.0")},
         {"checks": {"IDN-001": "ready", "IDN-002": "ready"}})
    case("idn-001-ready-exactly-3-days",
         "IDN-001 ready at the limit: last sync exactly 3 days (259 200 s) before as_of ('≤ 3 days')",
         {"organization.json": org(sync=True, last=ts(ago(days=3)))},
         {"checks": {"IDN-001": "ready"}})
    case("idn-001-advisory-3-days-and-1-second",
         "IDN-001 advisory: last sync 3 days and 1 second before as_of — past the stale-sync limit, the sync looks "
         "stalled",
         {"organization.json": org(sync=True, last=ts(ago(days=3, seconds=1)))},
         {"checks": {"IDN-001": "advisory"}})
    case("idn-001-advisory-sync-stalled",
         "IDN-001 advisory: sync enabled but the last sync was 5 days before as_of",
         {"organization.json": org(sync=True, last=ts(ago(days=5, hours=4)))},
         {"checks": {"IDN-001": "advisory"}})
    case("idn-001-not-evaluated-without-organization",
         "Without an organization export IDN-001 and MGT-001 are not_evaluated(missing_input)",
         {"managedDevices.json": md_page([D("PC-0001")])},
         {"checks": {"IDN-001": NE_MI, "MGT-001": NE_MI}})

    case("idn-002-advisory-older-2x",
         "IDN-002 advisory: Azure AD Connect 2.0.28.0 is supported on 2022-06-15 but not the latest known",
         {"organization.json": org(sync=True, last=ts(ago(minutes=25))),
          "onPremisesSynchronization.json": sync_page("2.0.28.0")},
         {"checks": {"IDN-001": "ready", "IDN-002": "advisory"}})
    case("idn-002-advisory-1x-before-retirement",
         "IDN-002 advisory: 1.6.16.0 on 2022-06-15 is not yet retired (1.x retire after 2022-08-31) but is not "
         "the latest",
         {"organization.json": org(sync=True, last=ts(ago(minutes=25))),
          "onPremisesSynchronization.json": sync_page("1.6.16.0")},
         {"checks": {"IDN-002": "advisory"}})
    case("idn-002-not-ready-1x-retired",
         "IDN-002 not_ready: 1.6.16.0 evaluated as of 2022-09-15, after all 1.x versions retired (2022-08-31)",
         {"organization.json": org(sync=True, last="2022-09-14T23:30:00Z"),
          "onPremisesSynchronization.json": sync_page("1.6.16.0")},
         {"checks": {"IDN-001": "ready", "IDN-002": "not_ready"}},
         as_of="2022-09-15T00:00:00Z")
    case("idn-002-not-ready-version-from-option",
         "IDN-002 not_ready from a version the host supplies (--sync-client-version 1.6.4.0; no beta export), as "
         "of 2022-10-01",
         {"organization.json": org(sync=True, last="2022-09-30T22:00:00Z")},
         {"checks": {"IDN-002": "not_ready"}},
         as_of="2022-10-01T00:00:00Z", sync_client_version="1.6.4.0")
    case("idn-002-not-evaluated-no-version",
         "IDN-002 not_evaluated(missing_input): sync is enabled but no sync client version was supplied (no beta "
         "onPremisesSynchronization, no option)",
         {"organization.json": org(sync=True, last=ts(ago(hours=1)))},
         {"checks": {"IDN-001": "ready", "IDN-002": NE_MI}})

    mdm = D("PC-0001")
    case("mgt-001-ready-intune-authority",
         "MGT-001 ready: mobileDeviceManagementAuthority intune",
         {"organization.json": org(authority="intune"), "managedDevices.json": md_page([mdm])},
         {"checks": {"MGT-001": "ready"}})
    cm = comanaged("PC-CM-01")
    case("mgt-001-ready-sccm-authority-with-comanaged-device",
         "MGT-001 ready: authority sccm, but an in-scope device is co-managed (configurationManagerClientMdm)",
         {"organization.json": org(authority="sccm"), "managedDevices.json": md_page([mdm, cm])},
         {"checks": {"MGT-001": "ready"}})
    case("mgt-001-not-ready-sccm-authority-no-comanagement",
         "MGT-001 not_ready: authority sccm and no device is co-managed",
         {"organization.json": org(authority="sccm"), "managedDevices.json": md_page([mdm])},
         {"checks": {"MGT-001": "not_ready"}})
    case("mgt-001-not-ready-office365-authority",
         "MGT-001 not_ready: authority office365 (Basic Mobility and Security) and no device is co-managed",
         {"organization.json": org(authority="office365"), "managedDevices.json": md_page([mdm])},
         {"checks": {"MGT-001": "not_ready"}})
    case("mgt-001-not-ready-unknown-authority",
         "MGT-001 not_ready: authority unknown (never set) and no device is co-managed",
         {"organization.json": org(authority="unknown"), "managedDevices.json": md_page([mdm])},
         {"checks": {"MGT-001": "not_ready"}})
    case("mgt-001-not-evaluated-authority-not-selected",
         "MGT-001 not_evaluated(missing_input): the organization export lacks mobileDeviceManagementAuthority "
         "(not $select-ed) and no device is co-managed",
         {"organization.json": org(omit_authority=True), "managedDevices.json": md_page([mdm])},
         {"checks": {"MGT-001": NE_MI}})


# ========================================================================================== network

def network():
    a, b = D("PC-NET-A"), D("PC-NET-B")

    def ev(d, probes):
        return device_evidence(d["name"], d["serial"], dsreg=dsregcmd(d["name"], d["aad_id"], TID, TNAME,
                                                                      upn=ALEX["upn"]), probes=probes)

    ok = [probe(h) for h in ENDPOINTS_2022]
    mdp = md_page([a, b])
    case("net-001-ready-every-endpoint-reached",
         "NET-001 ready: both probed devices reached all four 2022 endpoints (DNS, TCP 443, TLS 1.2); DEV-008 and "
         "DEV-009 ready",
         {"managedDevices.json": mdp, "evidence.json": bundle(devices=[ev(a, ok), ev(b, ok)])},
         {"checks": {"NET-001": "ready"},
          "devices": {"PC-NET-A": {"DEV-008": "ready", "DEV-009": "ready"},
                      "PC-NET-B": {"DEV-008": "ready", "DEV-009": "ready"}}})
    tcp_fail = [probe(h, fail="tcp" if h == "mmdls.microsoft.com" else None) for h in ENDPOINTS_2022]
    case("net-001-advisory-endpoint-failed-on-some-devices",
         "NET-001 advisory: mmdls.microsoft.com failed at the TCP step on one of two probed devices; that device "
         "DEV-009 not_ready (names the endpoint and step), DEV-008 ready (others reached)",
         {"managedDevices.json": mdp, "evidence.json": bundle(devices=[ev(a, ok), ev(b, tcp_fail)])},
         {"checks": {"NET-001": "advisory"},
          "devices": {"PC-NET-A": {"DEV-009": "ready"}, "PC-NET-B": {"DEV-008": "ready", "DEV-009": "not_ready"}}})
    dns_block = [probe(h, fail="dns" if h == "logcollection.mmd.microsoft.com" else None) for h in ENDPOINTS_2022]
    case("net-001-not-ready-endpoint-blocked-everywhere",
         "NET-001 not_ready: logcollection.mmd.microsoft.com fails DNS on every probed device (blocked by the "
         "corporate DNS); DEV-009 not_ready on both",
         {"managedDevices.json": mdp, "evidence.json": bundle(devices=[ev(a, dns_block), ev(b, dns_block)])},
         {"checks": {"NET-001": "not_ready"},
          "devices": {"PC-NET-A": {"DEV-008": "ready", "DEV-009": "not_ready"},
                      "PC-NET-B": {"DEV-008": "ready", "DEV-009": "not_ready"}}})
    offline = [probe(h, fail="dns", error="No such host is known.") for h in ENDPOINTS_2022]
    case("dev-008-not-ready-no-endpoint-reached",
         "DEV-008 not_ready: the device reached no endpoint at all (offline: every DNS lookup failed); DEV-009 "
         "not_ready too; NET-001 not_ready (every endpoint failed on the only probed device)",
         {"managedDevices.json": md_page([a]), "evidence.json": bundle(devices=[ev(a, offline)])},
         {"checks": {"NET-001": "not_ready"},
          "devices": {"PC-NET-A": {"verdict": "not_ready", "DEV-008": "not_ready", "DEV-009": "not_ready"}}})
    case("net-001-not-evaluated-without-probes",
         "NET-001 and DEV-008/DEV-009 not_evaluated(needs_device_evidence) from Graph exports alone",
         {"managedDevices.json": mdp},
         {"checks": {"NET-001": NE_DEV},
          "devices": {"PC-NET-A": {"DEV-008": NE_DEV, "DEV-009": NE_DEV}}})
    nj = device_evidence(b["name"], b["serial"],
                         dsreg=dsregcmd(b["name"], "", TID, TNAME, azure_ad_joined=False, domain_joined=True,
                                        domain_name="FABRIKAM", upn=ALEX["upn"]),
                         probes=ok)
    case("dev-008-evidence-attached-by-serial-number",
         "Device evidence whose dsregcmd shows no DeviceId (not joined) attaches by serial number: PC-NET-B gets "
         "DEV-008/DEV-009 ready, PC-NET-A keeps needs_device_evidence",
         {"managedDevices.json": mdp, "evidence.json": bundle(devices=[nj])},
         {"devices": {"PC-NET-B": {"DEV-008": "ready", "DEV-009": "ready"},
                      "PC-NET-A": {"DEV-008": NE_DEV, "DEV-009": NE_DEV}}})
    case("prv-001-info",
         "PRV-001 is always info and never changes the verdict",
         {"organization.json": org()}, {"checks": {"PRV-001": "info"}})


# ========================================================================================== co-management

def comanagement():
    mdm = D("PC-MDM-01")
    c1, c2 = comanaged("PC-CM-01"), comanaged("PC-CM-02")
    both = lambda devs: {"managedDevices.json": md_page(devs), "managedDevices-beta.json": md_page(devs, api="beta")}

    case("cm-001-ready-version-from-option",
         "CM-001 ready: co-management in use; the admin supplies the site version 5.00.9078.1006 (2203, supported "
         "until 2023-10-06) with --configmgr-version",
         {"managedDevices.json": md_page([c1])},
         {"checks": {"CM-001": "ready", "CM-002": "ready"}},
         configmgr_version="5.00.9078.1006")
    case("cm-001-not-ready-version-from-option-too-old",
         "CM-001 not_ready: site version 5.00.9012.1000 (2006) is older than the oldest version supported on "
         "2022-06-15 (2103, 5.00.9049)",
         {"managedDevices.json": md_page([c1])},
         {"checks": {"CM-001": "not_ready"}},
         configmgr_version="5.00.9012.1000")
    case("cm-001-not-ready-support-ended-before-as-of",
         "CM-001 not_ready: 2103 (5.00.9049.1000) evaluated as of 2022-11-01, after its support ended "
         "(2022-10-05); the same version is fine earlier (see cm-001-ready-version-from-option)",
         {"managedDevices.json": md_page([comanaged("PC-CM-01", last_sync="2022-10-30T10:00:00Z")])},
         {"checks": {"CM-001": "not_ready"}},
         as_of="2022-11-01T00:00:00Z", configmgr_version="5.00.9049.1000")
    case("cm-001-advisory-beta-client-version",
         "CM-001 advisory: no site version supplied; the highest beta ConfigMgr client version (5.00.9078.1006) "
         "is supported but is only a client version -> at most advisory",
         both([c1, comanaged("PC-CM-03", cm_client_version="5.00.9068.1008")]),
         {"checks": {"CM-001": "advisory"}})
    case("cm-001-not-evaluated-no-version",
         "CM-001 not_evaluated(missing_input): co-managed devices in a v1.0 export, no beta client version, no "
         "device evidence, no --configmgr-version",
         {"managedDevices.json": md_page([c1])},
         {"checks": {"CM-001": NE_MI}})
    case("cm-not-applicable-without-configmgr",
         "No ConfigMgr client at all (only mdm devices): CM-001..CM-005 not_applicable; DEV-005 not_applicable",
         both([mdm]),
         {"checks": {"CM-001": NA, "CM-002": NA, "CM-003": NA, "CM-004": NA, "CM-005": NA},
          "devices": {"PC-MDM-01": {"DEV-005": NA}}})
    cmo = D("PC-CMONLY-01", agent="configurationManagerClient", compliance="configManager",
            features_v1=features_v1(False, False, False), features_beta=features_beta(False, False, False, False),
            cm_client_version="5.00.9078.1006")
    case("cm-002-advisory-configmgr-only",
         "ConfigMgr-only devices, none co-managed: CM-002 advisory; CM-001, CM-003..CM-005 not_applicable; DEV-001 "
         "not_ready (ConfigMgr only is unsupported)",
         both([cmo, mdm]),
         {"checks": {"CM-001": NA, "CM-002": "advisory", "CM-003": NA, "CM-004": NA, "CM-005": NA},
          "devices": {"PC-CMONLY-01": {"DEV-001": "not_ready", "DEV-005": NA}}})
    case("cm-not-evaluated-without-managed-devices",
         "Without a managedDevices export nothing is known about ConfigMgr: CM-001..CM-005 "
         "not_evaluated(missing_input), not not_applicable",
         {"subscribedSkus.json": skus(E3())},
         {"checks": {"CM-001": NE_MI, "CM-002": NE_MI, "CM-003": NE_MI, "CM-004": NE_MI, "CM-005": NE_MI}})

    case("cm-workloads-ready-all-moved",
         "All three workloads moved on every co-managed device (v1.0 + beta officeApps): CM-002..CM-005 ready, "
         "DEV-005 ready",
         both([c1, c2, mdm]),
         {"checks": {"CM-002": "ready", "CM-003": "ready", "CM-004": "ready", "CM-005": "ready"},
          "devices": {"PC-CM-01": {"DEV-005": "ready", "DEV-001": "ready"}, "PC-CM-02": {"DEV-005": "ready"},
                      "PC-MDM-01": {"DEV-005": NA}}})
    wu0 = comanaged("PC-CM-WU0", wu=False)
    case("cm-003-advisory-some-devices-keep-windows-update",
         "CM-003 advisory: windowsUpdateForBusiness false on one of two co-managed devices; DEV-005 not_ready for "
         "it",
         both([c1, wu0]),
         {"checks": {"CM-003": "advisory", "CM-004": "ready", "CM-005": "ready"},
          "devices": {"PC-CM-WU0": {"DEV-005": "not_ready", "verdict": "not_ready"}, "PC-CM-01": {"DEV-005": "ready"}}})
    case("cm-003-not-ready-no-device-moved-windows-update",
         "CM-003 not_ready: windowsUpdateForBusiness false on every co-managed device",
         both([wu0, comanaged("PC-CM-WU1", wu=False)]),
         {"checks": {"CM-003": "not_ready", "CM-004": "ready"}})
    dc0 = comanaged("PC-CM-DC0", dc=False)
    case("cm-004-advisory-some-devices-keep-device-configuration",
         "CM-004 advisory: deviceConfiguration false on one of two co-managed devices; DEV-005 not_ready for it",
         both([c1, dc0]),
         {"checks": {"CM-004": "advisory", "CM-003": "ready"}, "devices": {"PC-CM-DC0": {"DEV-005": "not_ready"}}})
    case("cm-004-not-ready-no-device-moved-device-configuration",
         "CM-004 not_ready: deviceConfiguration false on every co-managed device",
         both([dc0, comanaged("PC-CM-DC1", dc=False)]),
         {"checks": {"CM-004": "not_ready"}})
    of0 = comanaged("PC-CM-OF0", office=False)
    case("cm-005-advisory-some-devices-keep-office",
         "CM-005 advisory: beta officeApps false on one of two co-managed devices; DEV-005 not_ready for it",
         both([c1, of0]),
         {"checks": {"CM-005": "advisory", "CM-003": "ready", "CM-004": "ready"},
          "devices": {"PC-CM-OF0": {"DEV-005": "not_ready"}}})
    case("cm-005-not-ready-no-device-moved-office",
         "CM-005 not_ready: beta officeApps false on every co-managed device",
         both([of0, comanaged("PC-CM-OF1", office=False)]),
         {"checks": {"CM-005": "not_ready"}})
    case("cm-005-not-evaluated-v1-only",
         "CM-005 not_evaluated(beta_only_field): officeApps exists only in beta and only v1.0 was supplied; "
         "CM-003/CM-004 ready from v1.0; DEV-005 not_evaluated(beta_only_field) (Office workload unknown)",
         {"managedDevices.json": md_page([c1, c2])},
         {"checks": {"CM-003": "ready", "CM-004": "ready", "CM-005": NE_BETA},
          "devices": {"PC-CM-01": {"DEV-005": NE_BETA}}})
    two = comanaged("PC-CM-TWO", wu=False, dc=False)
    case("dev-005-not-ready-two-workloads-missing",
         "DEV-005 not_ready naming both missing workloads (Windows Update and Device configuration) — known from "
         "v1.0 alone even though officeApps is beta-only",
         {"managedDevices.json": md_page([two])},
         {"devices": {"PC-CM-TWO": {"DEV-005": "not_ready", "verdict": "not_ready"}}})
    sel = ["id", "deviceName", "operatingSystem", "managementAgent", "managedDeviceOwnerType", "lastSyncDateTime",
           "azureADDeviceId", "osVersion", "userId", "userPrincipalName", "serialNumber"]
    case("cm-003-not-evaluated-features-not-selected",
         "CM-003/CM-004 not_evaluated(missing_input): co-managed devices exported with a $select that leaves out "
         "configurationManagerClientEnabledFeatures; DEV-005 likewise",
         {"managedDevices.json": md_page([c1, c2], select=sel)},
         {"checks": {"CM-002": "ready", "CM-003": NE_MI, "CM-004": NE_MI},
          "devices": {"PC-CM-01": {"DEV-005": NE_MI}}})
    flags = 8193 + 2 + 4 + 8 + 16 + 32 + 64 + 128
    ev = device_evidence(c1["name"], c1["serial"],
                         dsreg=dsregcmd(c1["name"], c1["aad_id"], TID, TNAME, domain_joined=True,
                                        domain_name="FABRIKAM", upn=ALEX["upn"]),
                         registry=[reg("HKLM\\SOFTWARE\\Microsoft\\CCM", "CoManagementFlags", "REG_QWORD", flags)],
                         cm_version=None)
    case("cm-005-ready-from-comanagementflags",
         "Office Click-to-Run workload read from the device: v1.0 export only, but device evidence (attached by "
         "dsregcmd DeviceId) has CoManagementFlags %d (bits 8, 16 and 128 set) -> CM-005 ready, DEV-005 ready"
         % flags,
         {"managedDevices.json": md_page([c1]), "evidence.json": bundle(devices=[ev])},
         {"checks": {"CM-003": "ready", "CM-004": "ready", "CM-005": "ready"},
          "devices": {"PC-CM-01": {"DEV-005": "ready"}}})


# ========================================================================================== device checks

def device_checks():
    # DEV-001
    agents = [("mdm", "ready"), ("easMdm", "ready"), ("configurationManagerClientMdm", "ready"),
              ("configurationManagerClientMdmEas", "ready"), ("microsoft365ManagedMdm", "ready"),
              ("configurationManagerClient", "not_ready"), ("eas", "not_ready"), ("intuneClient", "not_ready"),
              ("easIntuneClient", "not_ready"), ("msSense", "not_ready"), ("jamf", "not_ready"),
              ("unknown", "not_ready"), ("googleCloudDevicePolicyController", "advisory"),
              ("windowsManagementCloudApi", "advisory"), ("unknownFutureValue", "advisory")]
    devs = []
    exp = OrderedDict()
    for agent, st in agents:
        n = "PC-AGENT-%s" % agent
        kw = {"agent": agent}
        if agent.startswith("configurationManagerClientMdm"):
            kw.update(features_v1=features_v1(), features_beta=features_beta())
        devs.append(D(n, **kw))
        exp[n] = {"DEV-001": st}
    case("dev-001-management-agents",
         "DEV-001 per managementAgent: ready for mdm, easMdm, configurationManagerClientMdm(Eas), "
         "microsoft365ManagedMdm; not_ready for configurationManagerClient (ConfigMgr only), eas, intuneClient, "
         "easIntuneClient, msSense, jamf, unknown; advisory (value shown) for any other value",
         {"managedDevices.json": md_page(devs)}, {"devices": exp})
    ad = D("PC-AGENT-ABSENT")
    r = md_v1(ad)
    del r["managementAgent"]
    case("dev-001-not-evaluated-agent-absent",
         "DEV-001 not_evaluated(missing_input): the record has no managementAgent field (not $select-ed)",
         {"managedDevices.json": page(context("deviceManagement/managedDevices"), [r])},
         {"devices": {"PC-AGENT-ABSENT": {"DEV-001": NE_MI}}})
    wt = D("PC-AGENT-NUMBER")
    r = md_v1(wt)
    r["managementAgent"] = True
    case("dev-001-error-agent-wrong-type",
         "DEV-001 error: managementAgent is a boolean (true) where Graph writes an enum name: a field of the wrong "
         "type, so INP-001 is error (naming file, position, cause) and the record errs alone (its device verdict "
         "error, DEV-001 error) while the other device is evaluated; overall verdict error, exit 3",
         {"managedDevices.json": page(context("deviceManagement/managedDevices"), [r, md_v1(D("PC-0001"))])},
         {"verdict": "error", "exit_code": 3, "checks": {"INP-001": "error"},
          "devices": {"PC-AGENT-NUMBER": {"verdict": "error", "DEV-001": "error"},
                      "PC-0001": {"DEV-001": "ready"}}})

    # Entra-only records and scope
    intune = D("PC-SCOPE-INTUNE")
    e_in = {"device_id": gid("case-entra-only", "DT-HYBRID"), "name": "DT-HYBRID-NOINTUNE", "trust": "ServerAd",
            "enabled": True, "last_signin": ts(ago(days=3)), "registered": ts(ago(days=500)), "managed": False,
            "onprem_last_sync": ts(ago(hours=1)), "enrollment_type": None, "ownership": None, "compliant": None,
            "management_type": None}
    e_aad = dict(e_in, device_id=gid("case-entra-only", "LT-AAD"), name="LT-AADJ-NOINTUNE", trust="AzureAd",
                 last_signin=ts(ago(days=27, hours=23)))
    e_stale = dict(e_in, device_id=gid("case-entra-only", "stale"), name="DT-STALE", last_signin=ts(ago(days=29)))
    e_dis = dict(e_in, device_id=gid("case-entra-only", "dis"), name="DT-DISABLED", enabled=False)
    e_wp = dict(e_in, device_id=gid("case-entra-only", "wp"), name="LT-REGISTERED", trust="Workplace",
                physical_ids=[])
    e_srv = dict(e_in, device_id=gid("case-entra-only", "srv"), name="SRV-APP01", os="Windows Server",
                 os_version="10.0.20348.707")
    e_mac = dict(e_in, device_id=gid("case-entra-only", "mac"), name="MAC-DESIGN-01", os="MacMDM",
                 os_version="12.4", trust="Workplace", physical_ids=[])
    ios = D("IPHONE-SCOPE", os="iOS", os_version="15.5", model="iPhone 13", manufacturer="Apple",
            enrollment_type="userEnrollment")
    andr = D("ANDROID-SCOPE", os="Android", os_version="12", model="Pixel 6", manufacturer="Google",
             enrollment_type="userEnrollment")
    entra = [entra_for(intune), entra_for(ios, os="iOS", os_version="15.5", trust="Workplace", physical_ids=[]),
             entra_device(e_in), entra_device(e_aad), entra_device(e_stale), entra_device(e_dis), entra_device(e_wp),
             entra_device(e_srv), entra_device(e_mac)]
    case("scope-entra-only-records",
         "Scope: active Windows Entra-only records (ServerAd signed in 3 days ago; AzureAd 27 d 23 h ago) are in "
         "scope and fail DEV-001; Entra-only records that are stale (29 days), disabled, Workplace-registered, "
         "Windows Server or not Windows are out of scope and only counted; iOS/Android Intune records are out of "
         "scope (the iOS Entra record joins its Intune record: one device)",
         {"managedDevices.json": md_page([intune, ios, andr]), "devices.json": entra_page(entra)},
         {"device_count": 3, "out_of_scope": 7,
          "devices": {"DT-HYBRID-NOINTUNE": {"DEV-001": "not_ready", "verdict": "not_ready"},
                      "LT-AADJ-NOINTUNE": {"DEV-001": "not_ready"},
                      "PC-SCOPE-INTUNE": {"DEV-001": "ready", "DEV-006": "ready"}}})

    # DEV-002
    owners = [("company", "ready"), ("personal", "not_ready"), ("unknown", "advisory"), ("shared", "advisory")]
    devs, exp = [], OrderedDict()
    for o, st in owners:
        n = "PC-OWNER-%s" % o.upper()
        devs.append(D(n, owner=o))
        exp[n] = {"DEV-002": st}
    ab = D("PC-OWNER-ABSENT")
    r = md_v1(ab)
    del r["managedDeviceOwnerType"]
    pg = md_page(devs)
    pg["value"].append(r)
    exp["PC-OWNER-ABSENT"] = {"DEV-002": NE_MI}
    case("dev-002-owner-types",
         "DEV-002: company ready; personal (BYOD) not_ready; unknown advisory; an unrecognised value ('shared') "
         "advisory with the value shown; field absent -> not_evaluated(missing_input)",
         {"managedDevices.json": pg}, {"devices": exp})

    # DEV-003
    devs = [D("LAPTOP-0040", last_sync=ts(ago(days=40))), D("LAPTOP-0024", last_sync=ts(ago(days=24))),
            D("LAPTOP-0001", last_sync=ts(ago(days=1))), D("LAPTOP-NEVER", last_sync=NEVER)]
    case("dev-003-last-contact",
         "DEV-003: a device last synced 40 days ago is not_ready; 24 days ago is advisory (falls out of the window "
         "on 2022-06-19); 1 day ready; 0001-01-01T00:00:00Z (never synced) not_ready",
         {"managedDevices.json": md_page(devs)},
         {"devices": {"LAPTOP-0040": {"DEV-003": "not_ready", "verdict": "not_ready"},
                      "LAPTOP-0024": {"DEV-003": "advisory"}, "LAPTOP-0001": {"DEV-003": "ready"},
                      "LAPTOP-NEVER": {"DEV-003": "not_ready"}}})
    devs = [D("EDGE-28D", last_sync=ts(ago(days=28))), D("EDGE-28D-1S", last_sync=ts(ago(days=28, seconds=1))),
            D("EDGE-21D", last_sync=ts(ago(days=21))), D("EDGE-21D-1S", last_sync=ts(ago(days=21, seconds=1))),
            D("EDGE-FUTURE", last_sync=ts(AS_OF + timedelta(hours=2)))]
    case("dev-003-boundaries",
         "DEV-003 limits are strict: exactly 28 x 86 400 s -> advisory, one second more -> not_ready; exactly 21 "
         "days -> ready, one second more -> advisory; a sync 2 h after as_of (clock skew) -> ready",
         {"managedDevices.json": md_page(devs)},
         {"devices": {"EDGE-28D": {"DEV-003": "advisory"}, "EDGE-28D-1S": {"DEV-003": "not_ready"},
                      "EDGE-21D": {"DEV-003": "ready"}, "EDGE-21D-1S": {"DEV-003": "advisory"},
                      "EDGE-FUTURE": {"DEV-003": "ready"}}})
    devs = [D("PC-BADTIME", last_sync="last Tuesday"), D("PC-BADDATE", last_sync="2022-13-45T25:61:00Z"),
            D("PC-0001")]
    case("dev-003-error-unparsable-timestamp",
         "DEV-003 error: an unparsable lastSyncDateTime ('last Tuesday', '2022-13-45T25:61:00Z'); the device "
         "verdict is error and raises the overall verdict to error (exit 3); the good device is unaffected",
         {"managedDevices.json": md_page(devs)},
         {"verdict": "error", "exit_code": 3,
          "devices": {"PC-BADTIME": {"DEV-003": "error", "verdict": "error"},
                      "PC-BADDATE": {"DEV-003": "error", "verdict": "error"}, "PC-0001": {"DEV-003": "ready"}}})
    r = md_v1(D("PC-NOSYNC"))
    del r["lastSyncDateTime"]
    case("dev-003-not-evaluated-field-absent",
         "DEV-003 not_evaluated(missing_input): lastSyncDateTime not in the export",
         {"managedDevices.json": page(context("deviceManagement/managedDevices"), [r])},
         {"devices": {"PC-NOSYNC": {"DEV-003": NE_MI}}})

    # DEV-004
    eds = [(4, "ready"), (27, "ready"), (48, "not_ready"), (121, "not_ready"), (101, "not_ready"),
           (161, "not_ready"), (125, "advisory"), (126, "advisory"), (175, "advisory")]
    devs, exp = [], OrderedDict()
    for n_, st in eds:
        n = "PC-SKU-%d" % n_
        devs.append(D(n, sku=n_))
        exp[n] = {"DEV-004": st}
    case("dev-004-editions",
         "DEV-004 editions (beta skuNumber, x64, 10.0.19044): Enterprise 4 and Enterprise N 27 ready; Pro 48, "
         "Education 121, Home 101, Pro for Workstations 161 not_ready (2022-05: Enterprise only); LTSC 125/126 and "
         "multi-session 175 advisory",
         {"managedDevices.json": md_page(devs), "managedDevices-beta.json": md_page(devs, api="beta")},
         {"devices": exp})
    archs = [("x64", "ready"), ("X64", "ready"), ("x86", "not_ready"), ("arM64", "advisory"), ("ARM64", "advisory")]
    devs, exp = [], OrderedDict()
    for i, (a, st) in enumerate(archs):
        n = "PC-ARCH-%d-%s" % (i, a.upper())
        devs.append(D(n, arch=a))
        exp[n] = {"DEV-004": st}
    case("dev-004-architectures",
         "DEV-004 architecture (case-insensitive, Graph writes 'arM64'): x64/X64 ready; x86 not_ready; arm64 "
         "advisory",
         {"managedDevices.json": md_page(devs), "managedDevices-beta.json": md_page(devs, api="beta")},
         {"devices": exp})
    devs = [D("PC-WIN81", os_version="6.3.9600.20367"), D("PC-WIN11", os_version="10.0.22000.708")]
    case("dev-004-os-version",
         "DEV-004 not_ready for Windows 8.1 (osVersion 6.3.9600) even as Enterprise x64; Windows 11 (10.0.22000) "
         "ready",
         {"managedDevices.json": md_page(devs), "managedDevices-beta.json": md_page(devs, api="beta")},
         {"devices": {"PC-WIN81": {"DEV-004": "not_ready"}, "PC-WIN11": {"DEV-004": "ready"}}})
    case("dev-004-not-evaluated-v1-only",
         "DEV-004 not_evaluated(beta_only_field): skuNumber and processorArchitecture exist only in beta and no "
         "beta export or device evidence was supplied",
         {"managedDevices.json": md_page([D("PC-0001")])},
         {"devices": {"PC-0001": {"DEV-004": NE_BETA}}})
    l1, l2, l3 = D("PC-LOCAL-ENT"), D("PC-LOCAL-FR"), D("PC-LOCAL-PRO")

    def lev(d, sku_, arch):
        return device_evidence(d["name"], d["serial"], sku=sku_, arch=arch,
                               dsreg=dsregcmd(d["name"], d["aad_id"], TID, TNAME, upn=ALEX["upn"]), probes=None)
    case("dev-004-from-device-evidence",
         "DEV-004 from device-local evidence with a v1.0 export only: OperatingSystemSKU 4 + OSArchitecture "
         "'64-bit' ready; localised '64 bits' (French) ready; OperatingSystemSKU 48 (Pro) not_ready",
         {"managedDevices.json": md_page([l1, l2, l3]),
          "evidence.json": bundle(devices=[lev(l1, 4, "64-bit"), lev(l2, 4, "64 bits"), lev(l3, 48, "64-bit")])},
         {"devices": {"PC-LOCAL-ENT": {"DEV-004": "ready"}, "PC-LOCAL-FR": {"DEV-004": "ready"},
                      "PC-LOCAL-PRO": {"DEV-004": "not_ready"}}})
    dis = D("PC-DISAGREE", sku=48)
    case("dev-004-advisory-sources-disagree",
         "DEV-004 advisory: device-local OperatingSystemSKU 4 (upgraded to Enterprise) and beta skuNumber 48 "
         "disagree; both are shown",
         {"managedDevices.json": md_page([dis]), "managedDevices-beta.json": md_page([dis], api="beta"),
          "evidence.json": bundle(devices=[lev(dis, 4, "64-bit")])},
         {"devices": {"PC-DISAGREE": {"DEV-004": "advisory"}}})

    # DEV-006
    ok_a = D("PC-LINK-AAD")
    ok_h = D("PC-LINK-HYBRID", trust="ServerAd")
    nomatch = D("PC-LINK-DELETED")
    disabled = D("PC-LINK-DISABLED")
    zero = D("PC-LINK-ZERO", aad_id=ZERO_GUID, aad_registered=False)
    empty = D("PC-LINK-EMPTY", aad_id="", aad_registered=False)
    dup_aad = gid("case-entra", "PC-LINK-DUP")
    dup1 = D("PC-LINK-DUP", aad_id=dup_aad, id=gid("case-intune", "PC-LINK-DUP", "1"), last_sync=ts(ago(days=9)))
    dup2 = D("PC-LINK-DUP", aad_id=dup_aad, id=gid("case-intune", "PC-LINK-DUP", "2"))
    ent = [entra_for(ok_a), entra_for(ok_h), entra_for(disabled, enabled=False), entra_for(dup1)]
    case("dev-006-entra-link",
         "DEV-006: Intune record joined to an enabled Entra device (Entra joined or hybrid) ready; no matching "
         "Entra record, a disabled one, an all-zero or empty azureADDeviceId (no Entra link) not_ready; two Intune "
         "records for one Entra device advisory on both",
         {"managedDevices.json": md_page([ok_a, ok_h, nomatch, disabled, zero, empty, dup1, dup2]),
          "devices.json": entra_page(ent)},
         {"devices": {"PC-LINK-AAD": {"DEV-006": "ready"}, "PC-LINK-HYBRID": {"DEV-006": "ready"},
                      "PC-LINK-DELETED": {"DEV-006": "not_ready"}, "PC-LINK-DISABLED": {"DEV-006": "not_ready"},
                      "PC-LINK-ZERO": {"DEV-006": "not_ready"}, "PC-LINK-EMPTY": {"DEV-006": "not_ready"},
                      "id:" + dup1["id"]: {"DEV-006": "advisory"}, "id:" + dup2["id"]: {"DEV-006": "advisory"}}})
    case("dev-006-not-evaluated-without-devices-export",
         "DEV-006 not_evaluated(missing_input) without the Entra devices export",
         {"managedDevices.json": md_page([ok_a])},
         {"devices": {"PC-LINK-AAD": {"DEV-006": NE_MI}}})

    # DEV-007
    users = {
        "e3": U("u.e3"), "e5": U("u.e5", licenses=[lic(SPE_E5)]),
        "vda": U("u.vda", licenses=[lic(WIN10_VDA_E3)]),
        "awe": U("u.activewitherror", licenses=[lic(SPE_E3, group=gid("group", "lic"), state="ActiveWithError",
                                                    error="CountViolation")]),
        "err": U("u.error", licenses=[lic(SPE_E3, group=gid("group", "lic"), state="Error", error="CountViolation")]),
        "winoff": U("u.windowsplanoff", licenses=[lic(SPE_E3, disabled=[P_WIN_ENT])]),
        "apoff": U("u.autopatchoff", licenses=[lic(SPE_E3, disabled=[P_AUTOPATCH])]),
        "legacy": U("u.assignedonly", omit_states=True),
        "none": U("u.nolicence", licenses=[]),
    }
    ghost = U("u.deleted")
    rows = [("PC-U-E3", users["e3"], "ready"), ("PC-U-E5", users["e5"], "ready"),
            ("PC-U-VDA", users["vda"], "ready"), ("PC-U-AWE", users["awe"], "ready"),
            ("PC-U-ERR", users["err"], "not_ready"), ("PC-U-WINOFF", users["winoff"], "not_ready"),
            ("PC-U-APOFF", users["apoff"], "advisory"), ("PC-U-LEGACY", users["legacy"], "ready"),
            ("PC-U-NONE", users["none"], "not_ready"), ("PC-U-GHOST", ghost, NE_MI),
            ("PC-U-SHARED", None, "advisory")]
    devs = [D(n, user=u) for n, u, _ in rows]
    nulluser = md_v1(D("PC-U-NULL", user=None))
    nulluser["userId"] = None
    nulluser["userPrincipalName"] = None
    pg = md_page(devs)
    pg["value"].append(nulluser)
    exp = OrderedDict((n, {"DEV-007": st}) for n, _, st in rows)
    exp["PC-U-NULL"] = {"DEV-007": "advisory"}
    case("dev-007-primary-user-licence",
         "DEV-007 per primary user: SPE_E3, SPE_E5, Windows E3 VDA, and an ActiveWithError group assignment are "
         "entitled (ready); a licenseAssignmentStates entry in state Error, a disabled Windows Enterprise plan, or "
         "no licence -> not_ready; a disabled Windows Autopatch plan on an otherwise entitling licence -> advisory; "
         "only assignedLicenses (no licenseAssignmentStates) -> read from assignedLicenses (ready); a user id not "
         "in the users export -> not_evaluated(missing_input); no primary user ('' or null) -> advisory",
         {"managedDevices.json": pg, "users.json": users_page(list(users.values()))},
         {"devices": exp})

    # verdicts and exit codes
    stale = D("PC-STALE", last_sync=ts(ago(days=35)))
    good = D("PC-0001")
    files = tenant_ready_files([good, stale])
    case("verdict-device-findings-do-not-change-overall",
         "Device not_ready findings are counted but do not change the overall verdict: tenant checks ready -> "
         "verdict ready, exit 0 (without --fail-on-devices)",
         files,
         {"verdict": "ready", "exit_code": 0, "device_count": 2,
          "devices": {"PC-STALE": {"verdict": "not_ready", "DEV-003": "not_ready"}, "PC-0001": {"verdict": "ready"}}})
    case("verdict-fail-on-devices-not-ready",
         "--fail-on-devices not_ready makes a not_ready device count: exit 2 (the verdict itself stays ready)",
         files, {"verdict": "ready", "exit_code": 2}, fail_on_devices="not_ready")
    near = D("PC-NEAR", last_sync=ts(ago(days=25)))
    files = tenant_ready_files([good, near])
    case("verdict-fail-on-devices-advisory",
         "--fail-on-devices advisory with an advisory device (25 days since sync): exit 1",
         files,
         {"verdict": "ready", "exit_code": 1, "devices": {"PC-NEAR": {"verdict": "advisory", "DEV-003": "advisory"}}},
         fail_on_devices="advisory")
    case("verdict-fail-on-devices-not-ready-ignores-advisory",
         "--fail-on-devices not_ready does not count an advisory device: exit 0",
         files, {"verdict": "ready", "exit_code": 0}, fail_on_devices="not_ready")
    files = tenant_ready_files([good])
    files["subscribedSkus.json"] = skus(sku(TID, STANDARDPACK, enabled=10, consumed=2),
                                        sku(TID, EMS_E3, enabled=10, consumed=2))
    files["users.json"] = users_page([U("alex.wilber", licenses=[lic(STANDARDPACK), lic(EMS_E3)])])
    case("verdict-not-ready-tenant-check",
         "A not_ready tenant check makes the overall verdict not_ready, exit 2 (no entitling SKU; the only primary "
         "user is not entitled)",
         files,
         {"verdict": "not_ready", "exit_code": 2,
          "checks": {"LIC-001": "not_ready", "LIC-002": "not_ready", "LIC-003": "ready", "LIC-004": "ready"},
          "devices": {"PC-0001": {"DEV-007": "not_ready", "verdict": "not_ready"}}})


# ========================================================================================== profile `current`
#
# Cases for the checks that exist only in profile `current` (DEV-010..DEV-015) and for every parameter `current`
# changes (licence families, editions, build floor, endpoint list, dated support tables). Expectations come from
# shared/spec/checks.md ("Profile current") and shared/reference/: prerequisites-history.md (§1 page revisions,
# §2 ConfigMgr table, §3 Entra Connect policy, §4 device-registration checks), device-evidence.md (§1 editions,
# §2 build and diagnostic data, §3 dsregcmd, §4 Windows Update policy values), endpoints.md (03/31/2025 list) and
# licensing.csv. Cases that compare the two profiles on the same data are named "...-2022-05-..." / "...-current-...".

CUR = {"profile": "current"}
WU_KEY = "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate"
AU_KEY = WU_KEY + "\\AU"
DC_KEY = "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\DataCollection"
WU_VALUES = [(WU_KEY, "DoNotConnectToWindowsUpdateInternetLocations"), (WU_KEY, "DisableWindowsUpdateAccess"),
             (WU_KEY, "WUServer"), (WU_KEY, "WUStatusServer"), (AU_KEY, "NoAutoUpdate"), (AU_KEY, "UseWUServer")]


def collector_registry(present, telemetry=1):
    """The registry list as Test-AutopatchDeviceReadiness writes it: every value it looks for, absent ones with
    present:false. present: {(path, name): (type, value)} of the values that are set."""
    out = []
    for path, name in WU_VALUES + [(DC_KEY, "AllowTelemetry")]:
        if (path, name) in present:
            t, v = present[(path, name)]
            out.append(reg(path, name, t, v))
        elif name == "AllowTelemetry" and telemetry is not None:
            out.append(reg(path, name, "REG_DWORD", telemetry))
        else:
            out.append(reg_absent(path, name))
    return out


def joined_ev(d, registry=None, probes=None, omit_registry=False, hybrid=False, **kw):
    """Device evidence of an Entra joined (or hybrid joined) device: attaches by the dsregcmd DeviceId."""
    text = dsregcmd(d["name"], d["aad_id"], TID, TNAME, domain_joined=hybrid, domain_name="FABRIKAM",
                    upn=ALEX["upn"])
    return device_evidence(d["name"], d["serial"], dsreg=text, registry=registry, probes=probes,
                           omit_registry=omit_registry, **kw)


def current_licences():
    dev_bp = D("PC-BP-01", user=U("bea.premium", licenses=[lic(SPB)]))
    bp_files = {"subscribedSkus.json": skus(sku(TID, SPB, enabled=25, consumed=12)),
                "users.json": users_page([dev_bp["user"]]),
                "managedDevices.json": md_page([dev_bp])}
    case("lic-001-current-advisory-business-premium-only",
         "current, LIC-001 advisory: Microsoft 365 Business Premium (SPB cbdc14ab-…) is the only entitling "
         "subscription (Enabled, 25 seats, 12 used). Prerequisites 2025-03-31 lists Business Premium as entitling, "
         "with every feature except Autopatch support requests -> the support-request limitation is an advisory. "
         "Entra ID P1 (AAD_PREMIUM) and Intune (INTUNE_A) come with SPB -> LIC-003/LIC-004 ready; its user holds "
         "an entitling licence (SPB has no Windows Enterprise plan to disable) -> LIC-002 and DEV-007 ready",
         bp_files,
         {"checks": {"LIC-001": "advisory", "LIC-002": "ready", "LIC-003": "ready", "LIC-004": "ready"},
          "devices": {"PC-BP-01": {"DEV-007": "ready"}}},
         **CUR)
    case("lic-001-2022-05-not-ready-business-premium-only",
         "2022-05, the same Business Premium tenant as lic-001-current-advisory-business-premium-only: the 2022-05 "
         "page entitles Windows/Microsoft 365 E3/E5 only (Business Premium is `current` only) -> LIC-001 not_ready; "
         "the only primary user holds no entitling licence -> LIC-002 and DEV-007 not_ready; LIC-003/LIC-004 "
         "ready (plans are matched on any active SKU)",
         bp_files,
         {"checks": {"LIC-001": "not_ready", "LIC-002": "not_ready", "LIC-003": "ready", "LIC-004": "ready"},
          "devices": {"PC-BP-01": {"DEV-007": "not_ready"}}})
    case("lic-001-current-ready-business-premium-and-e3",
         "current, LIC-001 ready: Business Premium next to Microsoft 365 E3 (SPE_E3): E3 includes support requests, "
         "so the Business Premium limitation does not apply to the tenant",
         {"subscribedSkus.json": skus(sku(TID, SPB, enabled=25, consumed=12), E3())},
         {"checks": {"LIC-001": "ready", "LIC-003": "ready", "LIC-004": "ready"}}, **CUR)
    case("lic-001-current-advisory-education-a3",
         "current, LIC-001 advisory: Microsoft 365 A3 for Faculty (M365EDU_A3_FACULTY 4b590615-…) alone: "
         "Windows 10/11 Education A3 entitles since 2024-09-16 ('Business Premium and A3+' tier) but, per the "
         "2025-03-31 page, A3+ does not include support requests -> entitled with an advisory; LIC-003/LIC-004 "
         "ready (AAD_PREMIUM, INTUNE_A on the SKU)",
         {"subscribedSkus.json": skus(sku(TID, M365EDU_A3_FACULTY, enabled=300, consumed=140))},
         {"checks": {"LIC-001": "advisory", "LIC-003": "ready", "LIC-004": "ready"}}, **CUR)
    case("lic-001-current-advisory-education-a5",
         "current, LIC-001 advisory: Microsoft 365 A5 for Students (M365EDU_A5_STUDENT 46c119d4-…) alone: entitles "
         "(Education A5) without support requests -> advisory; LIC-003/LIC-004 ready",
         {"subscribedSkus.json": skus(sku(TID, M365EDU_A5_STUDENT, enabled=1200, consumed=880))},
         {"checks": {"LIC-001": "advisory", "LIC-003": "ready", "LIC-004": "ready"}}, **CUR)
    f3 = {"subscribedSkus.json": skus(sku(TID, SPE_F1, enabled=80, consumed=35))}
    case("lic-001-current-ready-f3",
         "current, LIC-001 ready: Microsoft 365 F3 (SPE_F1 66b55226-…, Windows plan WIN10_ENT_LOC_F1) entitles since "
         "the 2024-01-11 revision (Enterprise E3 or higher, or F3) and includes support requests -> ready; its "
         "AAD_PREMIUM and INTUNE_A plans -> LIC-003/LIC-004 ready",
         f3, {"checks": {"LIC-001": "ready", "LIC-003": "ready", "LIC-004": "ready"}}, **CUR)
    case("lic-001-2022-05-not-ready-f3",
         "2022-05, the same F3-only tenant as lic-001-current-ready-f3: F3 is `current` only -> LIC-001 not_ready",
         f3, {"checks": {"LIC-001": "not_ready", "LIC-003": "ready", "LIC-004": "ready"}})
    case("lic-001-current-not-ready-no-entitling-sku",
         "current, LIC-001 not_ready: Office 365 E1 and EMS E3 entitle in no profile (no Windows Enterprise, "
         "Education or Business licence); EMS still gives Entra ID P1 and Intune",
         {"subscribedSkus.json": skus(sku(TID, STANDARDPACK, enabled=100, consumed=80),
                                      sku(TID, EMS_E3, enabled=100, consumed=80))},
         {"checks": {"LIC-001": "not_ready", "LIC-003": "ready", "LIC-004": "ready"}}, **CUR)
    case("lic-001-current-ready-m365-e3",
         "current, LIC-001 ready: Microsoft 365 E3 (SPE_E3) still entitles, with support requests",
         {"subscribedSkus.json": skus(E3())},
         {"checks": {"LIC-001": "ready", "LIC-003": "ready", "LIC-004": "ready"}}, **CUR)


def current_editions():
    eds = [(4, "ready", "ready"), (27, "ready", "ready"), (48, "ready", "not_ready"), (161, "ready", "not_ready"),
           (121, "ready", "not_ready"), (164, "ready", "not_ready"), (188, "ready", "not_ready"),
           (125, "advisory", "advisory"), (191, "advisory", "not_ready"), (101, "not_ready", "not_ready")]
    devs, exp_cur, exp_old = [], OrderedDict(), OrderedDict()
    for n_, cur, old in eds:
        n = "PC-ED-%d" % n_
        devs.append(D(n, sku=n_))
        exp_cur[n] = {"DEV-004": cur}
        exp_old[n] = {"DEV-004": old}
    files = {"managedDevices.json": md_page(devs), "managedDevices-beta.json": md_page(devs, api="beta")}
    case("dev-004-current-editions",
         "current, DEV-004 editions (beta skuNumber, x64, 10.0.19044): Enterprise 4 / Enterprise N 27, Pro 48, Pro "
         "for Workstations 161, Education 121, Pro Education 164 (2024-09-16 page) and IoT Enterprise 188 "
         "(2024-10-30 page) ready; Enterprise LTSC 125 and IoT Enterprise LTSC 191 advisory (LTSC registers but gets "
         "quality updates only); Home 101 not_ready (never listed)",
         files, {"devices": exp_cur}, **CUR)
    case("dev-004-2022-05-editions-added-in-current",
         "2022-05, the same devices as dev-004-current-editions: only Enterprise (4, 27) is ready; Pro 48, Pro for "
         "Workstations 161, Education 121, Pro Education 164, IoT Enterprise 188 and Home 101 not_ready; LTSC 125 "
         "advisory; IoT Enterprise LTSC 191 is not one of the LTSC SKUs the 2022-05 catalogue names (125, 126) -> "
         "'any other edition' not_ready",
         files, {"devices": exp_old})
    ev = [D("PC-LOCAL-PRO"), D("PC-LOCAL-PROEDU")]
    case("dev-004-current-pro-from-device-evidence",
         "current, DEV-004 from device-local evidence (v1.0 export only): OperatingSystemSKU 48 (Pro) and 164 (Pro "
         "Education) with OSArchitecture '64-bit' are ready (the same SKU 48 is not_ready in 2022-05, see "
         "dev-004-from-device-evidence)",
         {"managedDevices.json": md_page(ev),
          "evidence.json": bundle(devices=[joined_ev(ev[0], sku=48), joined_ev(ev[1], sku=164)])},
         {"devices": {"PC-LOCAL-PRO": {"DEV-004": "ready"}, "PC-LOCAL-PROEDU": {"DEV-004": "ready"}}}, **CUR)

    builds = [("PC-BUILD-1709", "10.0.16299.2166", "not_ready", "ready"),
              ("PC-BUILD-1803", "10.0.17134.2208", "not_ready", "ready"),
              ("PC-BUILD-1809", "10.0.17763.2928", "ready", "ready"),
              ("PC-BUILD-21H2", "10.0.19044.1706", "ready", "ready")]
    devs = [D(n, os_version=v) for n, v, _, _ in builds]
    files = {"managedDevices.json": md_page(devs), "managedDevices-beta.json": md_page(devs, api="beta")}
    case("dev-004-current-build-floor",
         "current, DEV-004 build floor 10.0.17763 (Windows 10 1809, printed on the page 2022-09 … 2024-01; "
         "device-evidence.md §2): Enterprise x64 on 10.0.16299 (1709) and 10.0.17134 (1803) not_ready; 10.0.17763 "
         "(the floor itself) and 10.0.19044 ready",
         files, {"devices": OrderedDict((n, {"DEV-004": c}) for n, _, c, _ in builds)}, **CUR)
    case("dev-004-2022-05-no-build-floor",
         "2022-05, the same devices as dev-004-current-build-floor: the 2022-05 page names no build floor "
         "(Windows 10/11 Enterprise, 64-bit) -> 10.0.16299 and 10.0.17134 are ready",
         files, {"devices": OrderedDict((n, {"DEV-004": o}) for n, _, _, o in builds)})


def current_identity_records():
    # DEV-010 serial number, model, manufacturer present
    ok = D("PC-ID-COMPLETE")
    no_sn = D("PC-ID-NO-SERIAL", serial="")
    blank_sn = D("PC-ID-BLANK-SERIAL", serial="   ")
    no_model = D("PC-ID-NO-MODEL", model="")
    no_maker = D("PC-ID-NULL-MANUFACTURER", manufacturer=None)
    case("dev-010-identity-fields",
         "current, DEV-010 (Prerequisites 2022-06-30 onward: devices must have a serial number, model and "
         "manufacturer): all three present -> ready; serialNumber '' or only blanks, model '', manufacturer null "
         "-> not_ready naming the missing field",
         {"managedDevices.json": md_page([ok, no_sn, blank_sn, no_model, no_maker])},
         {"devices": {"PC-ID-COMPLETE": {"DEV-010": "ready"}, "PC-ID-NO-SERIAL": {"DEV-010": "not_ready"},
                      "PC-ID-BLANK-SERIAL": {"DEV-010": "not_ready"}, "PC-ID-NO-MODEL": {"DEV-010": "not_ready"},
                      "PC-ID-NULL-MANUFACTURER": {"DEV-010": "not_ready", "verdict": "not_ready"}}},
         **CUR)
    sel = ["id", "deviceName", "operatingSystem", "managementAgent", "managedDeviceOwnerType", "lastSyncDateTime",
           "azureADDeviceId", "osVersion", "userId", "userPrincipalName"]
    case("dev-010-not-evaluated-fields-not-selected",
         "current, DEV-010 not_evaluated(missing_input): the managedDevices export's $select leaves out "
         "serialNumber, model and manufacturer (a field not supplied is never not_ready); DEV-011 cannot compare "
         "serial numbers either (not_applicable: no serial number to compare)",
         {"managedDevices.json": md_page([ok], select=sel)},
         {"devices": {"PC-ID-COMPLETE": {"DEV-010": NE_MI, "DEV-011": NA}}}, **CUR)
    wt = D("PC-ID-NUMERIC-SERIAL")
    r = md_v1(wt)
    r["serialNumber"] = 4711081542
    case("dev-010-error-serial-wrong-type",
         "current, DEV-010 error: serialNumber is a JSON number (4711081542, e.g. a spreadsheet round-trip) where "
         "Graph writes a string: a field of the wrong type -> INP-001 error and the record's DEV-010 error (device "
         "verdict error, overall verdict error, exit 3); the other device is evaluated",
         {"managedDevices.json": page(context("deviceManagement/managedDevices"), [r, md_v1(ok)])},
         {"verdict": "error", "exit_code": 3, "checks": {"INP-001": "error"},
          "devices": {"PC-ID-NUMERIC-SERIAL": {"DEV-010": "error", "verdict": "error"},
                      "PC-ID-COMPLETE": {"DEV-010": "ready"}}},
         **CUR)

    # DEV-011 unique serial numbers
    a1 = D("PC-SN-CLONE-1", serial="5CG1234XYZ")
    a2 = D("PC-SN-CLONE-2", serial=" 5cg1234xyz ")
    uniq = D("PC-SN-UNIQUE", serial="5CG9876ABC")
    none = D("PC-SN-EMPTY", serial="")
    dup_aad = gid("case-entra", "PC-SN-REENROLLED")
    re1 = D("PC-SN-REENROLLED", aad_id=dup_aad, id=gid("case-intune", "PC-SN-REENROLLED", "old"), serial="8J3KQ73",
            last_sync=ts(ago(days=12)))
    re2 = D("PC-SN-REENROLLED", aad_id=dup_aad, id=gid("case-intune", "PC-SN-REENROLLED", "new"), serial="8J3KQ73")
    case("dev-011-duplicate-serial-numbers",
         "current, DEV-011 (Register devices 2022-06-30: devices with duplicated serial numbers fail registration): "
         "'5CG1234XYZ' and ' 5cg1234xyz ' are the same serial (compared trimmed, case-insensitively) -> not_ready on "
         "both; two Intune records of one re-enrolled machine (same Entra device, serial 8J3KQ73) -> not_ready on "
         "both; a unique serial -> ready; no serial at all -> DEV-011 not_applicable (DEV-010 reports it)",
         {"managedDevices.json": md_page([a1, a2, uniq, none, re1, re2])},
         {"devices": {"PC-SN-CLONE-1": {"DEV-011": "not_ready"}, "PC-SN-CLONE-2": {"DEV-011": "not_ready"},
                      "PC-SN-UNIQUE": {"DEV-011": "ready", "DEV-010": "ready"},
                      "PC-SN-EMPTY": {"DEV-011": NA, "DEV-010": "not_ready"},
                      "id:" + re1["id"]: {"DEV-011": "not_ready"}, "id:" + re2["id"]: {"DEV-011": "not_ready"}}},
         **CUR)
    t1 = D("PC-SN-PAGE-1", serial="VMW-0001")
    t2 = D("PC-SN-PAGE-2", serial="VMW-0001")
    t3 = D("PC-SN-PAGE-3", serial="PF3XK2QZ")
    nl = md_next_link("v1.0", 3, "PC-SN-PAGE-3", t3["id"])
    case("dev-011-not-evaluated-truncated-device-list",
         "current, DEV-011 with a truncated managedDevices export (page 1 of N, @odata.nextLink still set): a "
         "serial seen twice is not_ready whatever the other pages hold; a serial unique among the records seen is "
         "not_evaluated(truncated_input) — a later page may repeat it",
         {"managedDevices.page1.json": md_page([t1, t2, t3], next_link=nl)},
         {"devices": {"PC-SN-PAGE-1": {"DEV-011": "not_ready"}, "PC-SN-PAGE-2": {"DEV-011": "not_ready"},
                      "PC-SN-PAGE-3": {"DEV-011": NE_TR}},
          "inputs": {"managedDevices.page1.json": {"truncated": True}}},
         **CUR)

    # DEV-012 dual state
    hy = D("PC-DUAL-STATE", trust="ServerAd", join_type="hybridAzureADJoined")
    clean = D("PC-ONE-RECORD")
    lonely = D("PC-NO-ENTRA-RECORD")
    stale_wp = {"device_id": gid("case-entra-wp", hy["name"]), "name": hy["name"], "trust": "Workplace",
                "enabled": True, "last_signin": ts(ago(days=160)), "registered": ts(ago(days=700)),
                "managed": False, "compliant": None, "ownership": None, "enrollment_type": None,
                "management_type": None, "physical_ids": []}
    case("dev-012-dual-state",
         "current, DEV-012 (Register devices 2022-06-30: a hybrid joined device that also keeps an Entra registered "
         "record — 'dual state' — fails the Intune or Cloud-Attached check): PC-DUAL-STATE has its hybrid joined "
         "record (ServerAd) and a stale Workplace record with the same name -> not_ready; a machine with one "
         "joined record -> ready; an Intune record with no Entra record -> DEV-012 not_applicable (DEV-006 reports "
         "it)",
         {"managedDevices.json": md_page([hy, clean, lonely]),
          "devices.json": entra_page([entra_for(hy), entra_device(stale_wp), entra_for(clean)])},
         {"devices": {"PC-DUAL-STATE": {"DEV-012": "not_ready", "DEV-013": "ready", "verdict": "not_ready"},
                      "PC-ONE-RECORD": {"DEV-012": "ready"},
                      "PC-NO-ENTRA-RECORD": {"DEV-012": NA, "DEV-006": "not_ready"}}},
         **CUR)
    wp_link = D("PC-ON-STALE-RECORD", aad_id=gid("case-entra-wp", "PC-ON-STALE-RECORD"), trust="Workplace",
                join_type="hybridAzureADJoined")
    joined = {"device_id": gid("case-entra", "PC-ON-STALE-RECORD", "hybrid"), "name": wp_link["name"],
              "trust": "ServerAd", "enabled": True, "last_signin": ts(ago(days=40)), "registered": ts(ago(days=900)),
              "onprem_last_sync": ts(ago(hours=1))}
    case("dev-012-intune-record-on-stale-registered-record",
         "current, DEV-012 not_ready: the Intune record's azureADDeviceId points at the machine's old Entra "
         "registered record (Workplace) while its hybrid joined record (ServerAd, not signed in for 40 days, so not "
         "an in-scope Entra-only device) exists too: dual state; DEV-013 not_ready as the linked record is only "
         "registered",
         {"managedDevices.json": md_page([wp_link]),
          "devices.json": entra_page([entra_for(wp_link, physical_ids=[]), entra_device(joined)])},
         {"devices": {"PC-ON-STALE-RECORD": {"DEV-012": "not_ready", "DEV-013": "not_ready"}}}, **CUR)
    rec = entra_for(clean)
    del rec["displayName"]
    sel_e = ["id", "deviceId", "accountEnabled", "approximateLastSignInDateTime", "operatingSystem",
             "operatingSystemVersion", "trustType"]
    rec = OrderedDict((k, v) for k, v in rec.items() if k in sel_e)
    case("dev-012-not-evaluated-without-display-name",
         "current, DEV-012 not_evaluated(missing_input): the devices export was taken with a $select that leaves out "
         "displayName, the only field that ties a stale record to the machine",
         {"managedDevices.json": md_page([clean]),
          "devices.json": page(context("devices", select=sel_e), [rec])},
         {"devices": {"PC-ONE-RECORD": {"DEV-012": NE_MI, "DEV-006": "ready"}}}, **CUR)
    case("dev-012-not-evaluated-without-devices-export",
         "current, DEV-012 not_evaluated(missing_input) without the Entra devices export (never not_ready)",
         {"managedDevices.json": md_page([clean])},
         {"devices": {"PC-ONE-RECORD": {"DEV-012": NE_MI}}}, **CUR)

    # DEV-013 joined or hybrid joined
    aadj = D("PC-JOIN-AADJ")
    hyb = D("PC-JOIN-HYBRID", trust="ServerAd", join_type="hybridAzureADJoined")
    wpl = D("PC-JOIN-REGISTERED", trust="Workplace", join_type="azureADRegistered", owner="personal")
    odd = D("PC-JOIN-ODD-TRUST", trust="Hybrid")
    case("dev-013-join-state-from-entra",
         "current, DEV-013 from the Entra record's trustType (Register devices: Entra joined or hybrid joined, not "
         "registered): AzureAd ready; ServerAd ready; Workplace (only Entra registered) not_ready; an unrecognised "
         "value ('Hybrid') advisory with the value shown",
         {"managedDevices.json": md_page([aadj, hyb, wpl, odd]),
          "devices.json": entra_page([entra_for(aadj), entra_for(hyb), entra_for(wpl, physical_ids=[]),
                                      entra_for(odd)])},
         {"devices": {"PC-JOIN-AADJ": {"DEV-013": "ready"}, "PC-JOIN-HYBRID": {"DEV-013": "ready"},
                      "PC-JOIN-REGISTERED": {"DEV-013": "not_ready"}, "PC-JOIN-ODD-TRUST": {"DEV-013": "advisory"}}},
         **CUR)
    jt = [("PC-JT-AADJ", "azureADJoined", "ready"), ("PC-JT-HYBRID", "hybridAzureADJoined", "ready"),
          ("PC-JT-REGISTERED", "azureADRegistered", "not_ready"), ("PC-JT-UNKNOWN", "unknown", NE_MI)]
    devs = [D(n, join_type=j) for n, j, _ in jt]
    case("dev-013-join-state-from-beta-join-type",
         "current, DEV-013 without an Entra devices export, from beta managedDevice.joinType: azureADJoined and "
         "hybridAzureADJoined ready; azureADRegistered not_ready; 'unknown' (Intune does not know) "
         "not_evaluated(missing_input)",
         {"managedDevices.json": md_page(devs), "managedDevices-beta.json": md_page(devs, api="beta")},
         {"devices": OrderedDict((n, {"DEV-013": st}) for n, _, st in jt)}, **CUR)
    j1, j2, j3, j4 = D("PC-DS-AADJ"), D("PC-DS-HYBRID"), D("PC-DS-DOMAIN-ONLY"), D("PC-DS-REGISTERED")
    dom_only = dsregcmd(j3["name"], "", TID, TNAME, azure_ad_joined=False, domain_joined=True,
                        domain_name="FABRIKAM", upn=ALEX["upn"])
    registered = dsregcmd(j4["name"], "", TID, TNAME, azure_ad_joined=False, upn=ALEX["upn"])
    assert registered.count("WorkplaceJoined : NO") == 1
    registered = registered.replace("WorkplaceJoined : NO", "WorkplaceJoined : YES")
    ev = [joined_ev(j1), joined_ev(j2, hybrid=True),
          device_evidence(j3["name"], j3["serial"], dsreg=dom_only),
          device_evidence(j4["name"], j4["serial"], dsreg=registered)]
    case("dev-013-join-state-from-dsregcmd",
         "current, DEV-013 from dsregcmd /status (v1.0 export, no Entra export; device-evidence.md §3 join-state "
         "table): AzureAdJoined YES -> Entra joined, ready; AzureAdJoined YES + DomainJoined YES -> hybrid joined, "
         "ready; AzureAdJoined NO + DomainJoined YES -> domain joined only, not_ready; AzureAdJoined NO + "
         "WorkplaceJoined YES -> Entra registered, not_ready (the last two attach by serial number: no DeviceId)",
         {"managedDevices.json": md_page([j1, j2, j3, j4]), "evidence.json": bundle(devices=ev)},
         {"devices": {"PC-DS-AADJ": {"DEV-013": "ready"}, "PC-DS-HYBRID": {"DEV-013": "ready"},
                      "PC-DS-DOMAIN-ONLY": {"DEV-013": "not_ready"}, "PC-DS-REGISTERED": {"DEV-013": "not_ready"}}},
         **CUR)
    case("dev-013-not-evaluated-no-join-evidence",
         "current, DEV-013 not_evaluated(missing_input): a v1.0 managedDevices export alone carries no join state "
         "(no Entra export, no beta joinType, no dsregcmd)",
         {"managedDevices.json": md_page([aadj])},
         {"devices": {"PC-JOIN-AADJ": {"DEV-013": NE_MI}}}, **CUR)


def current_device_evidence():
    # DEV-014 Windows Update policy conflicts
    rows = [
        ("PC-WU-NOAUTOUPDATE-1", {(AU_KEY, "NoAutoUpdate"): ("REG_DWORD", 1)}, "not_ready"),
        ("PC-WU-NOAUTOUPDATE-0", {(AU_KEY, "NoAutoUpdate"): ("REG_DWORD", 0)}, "not_ready"),
        ("PC-WU-DISABLEACCESS", {(WU_KEY, "DisableWindowsUpdateAccess"): ("REG_DWORD", 1)}, "not_ready"),
        ("PC-WU-DONOTCONNECT", {(WU_KEY, "DoNotConnectToWindowsUpdateInternetLocations"): ("REG_DWORD", 1),
                                (WU_KEY, "WUServer"): ("REG_SZ", "http://wsus01.fabrikam.example:8530")},
         "not_ready"),
    ]
    devs = [D(n) for n, _, _ in rows]
    ev = [joined_ev(d, registry=collector_registry(p)) for d, (_, p, _) in zip(devs, rows)]
    case("dev-014-not-ready-documented-conflicts",
         "current, DEV-014 not_ready: a value on Microsoft's conflicting-configurations list (ms.date 03/31/2025; "
         "device-evidence.md §4: conflict if present, any value) is set: AU\\NoAutoUpdate 1, AU\\NoAutoUpdate 0 "
         "(present with value 0 still conflicts), DisableWindowsUpdateAccess 1, "
         "DoNotConnectToWindowsUpdateInternetLocations 1 next to a WSUS server (the documented conflict decides)",
         {"managedDevices.json": md_page(devs), "evidence.json": bundle(devices=ev)},
         {"devices": OrderedDict((n, {"DEV-014": st, "verdict": "not_ready"}) for n, _, st in rows)}, **CUR)
    wsus = D("PC-WU-WSUS-ONLY")
    wsus_all = D("PC-WU-WSUS-ALL-THREE")
    ev = [joined_ev(wsus, registry=collector_registry(
              {(WU_KEY, "WUServer"): ("REG_SZ", "http://wsus01.fabrikam.example:8530")})),
          joined_ev(wsus_all, registry=collector_registry(
              {(WU_KEY, "WUServer"): ("REG_SZ", "https://wsus.fabrikam.example:8531"),
               (WU_KEY, "WUStatusServer"): ("REG_SZ", "https://wsus.fabrikam.example:8531"),
               (AU_KEY, "UseWUServer"): ("REG_DWORD", 1)}))]
    case("dev-014-advisory-wsus-values-only",
         "current, DEV-014 advisory: only WSUS values are set (WUServer alone; WUServer + WUStatusServer + "
         "AU\\UseWUServer 1). They are not in Microsoft's inspected list — only community sources say Autopatch "
         "flags them (device-evidence.md §4: 'Suggest: warning') -> advisory, saying so",
         {"managedDevices.json": md_page([wsus, wsus_all]), "evidence.json": bundle(devices=ev)},
         {"devices": {"PC-WU-WSUS-ONLY": {"DEV-014": "advisory"}, "PC-WU-WSUS-ALL-THREE": {"DEV-014": "advisory"}}},
         **CUR)
    clean = D("PC-WU-CLEAN")
    empty = D("PC-WU-EMPTY-LIST")
    ev = [joined_ev(clean, registry=collector_registry({})),
          joined_ev(empty, registry=[reg(DC_KEY, "AllowTelemetry", "REG_DWORD", 1)])]
    case("dev-014-ready-no-policy-values",
         "current, DEV-014 ready: the collector looked for all six Windows Update values and found none "
         "(present:false); a registry list that simply does not list them ('a value that is absent is simply not "
         "listed', snapshot-bundle.md) is the same",
         {"managedDevices.json": md_page([clean, empty]), "evidence.json": bundle(devices=ev)},
         {"devices": {"PC-WU-CLEAN": {"DEV-014": "ready", "DEV-015": "ready"},
                      "PC-WU-EMPTY-LIST": {"DEV-014": "ready"}}}, **CUR)
    noreg = D("PC-WU-NO-REGISTRY")
    noev = D("PC-WU-NO-EVIDENCE")
    ev = [joined_ev(noreg, omit_registry=True, probes=[probe(h) for h in ENDPOINTS_2025])]
    case("dev-014-not-evaluated-no-registry",
         "current, DEV-014 and DEV-015 not_evaluated(needs_device_evidence): a device-evidence entry without a "
         "`registry` member (the registry was not read) and a device with no device evidence at all — only the "
         "device can tell; the probes of the first device are still used (DEV-009 ready)",
         {"managedDevices.json": md_page([noreg, noev]), "evidence.json": bundle(devices=ev)},
         {"devices": {"PC-WU-NO-REGISTRY": {"DEV-014": NE_DEV, "DEV-015": NE_DEV, "DEV-009": "ready"},
                      "PC-WU-NO-EVIDENCE": {"DEV-014": NE_DEV, "DEV-015": NE_DEV}}}, **CUR)

    bad = D("PC-WU-REGISTRY-TEXT")
    ok = D("PC-WU-CLEAN")
    bad_ev = joined_ev(bad, omit_registry=True)
    bad_ev["registry"] = "System.Object[]"
    case("dev-014-error-registry-wrong-type",
         "current, DEV-014 and DEV-015 error: a device-evidence entry whose `registry` is a string "
         "(\"System.Object[]\", a PowerShell depth-truncated array) instead of an array of values — supplied but "
         "unusable: INP-001 error and that device's registry checks error (not 'not supplied'); the record errs "
         "alone: the other device is evaluated; overall verdict error, exit 3",
         {"managedDevices.json": md_page([bad, ok]),
          "evidence.json": bundle(devices=[bad_ev, joined_ev(ok, registry=collector_registry({}))])},
         {"verdict": "error", "exit_code": 3, "checks": {"INP-001": "error"},
          "devices": {"PC-WU-REGISTRY-TEXT": {"DEV-014": "error", "DEV-015": "error", "verdict": "error"},
                      "PC-WU-CLEAN": {"DEV-014": "ready", "DEV-015": "ready"}}}, **CUR)

    # DEV-015 diagnostic data
    tele = [("PC-DIAG-0", reg(DC_KEY, "AllowTelemetry", "REG_DWORD", 0), "not_ready"),
            ("PC-DIAG-1", reg(DC_KEY, "AllowTelemetry", "REG_DWORD", 1), "ready"),
            ("PC-DIAG-3", reg(DC_KEY, "AllowTelemetry", "REG_DWORD", 3), "ready"),
            ("PC-DIAG-NOT-SET", reg_absent(DC_KEY, "AllowTelemetry"), "ready"),
            ("PC-DIAG-TEXT", reg(DC_KEY, "AllowTelemetry", "REG_SZ", "abc"), "advisory")]
    devs = [D(n) for n, _, _ in tele]
    ev = [joined_ev(d, registry=[r]) for d, (_, r, _) in zip(devs, tele)]
    case("dev-015-diagnostic-data-level",
         "current, DEV-015 (Prerequisites 2024-09-16: at least the Required diagnostic data level; AllowTelemetry "
         "under HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\DataCollection): 0 (Security/off) not_ready; 1 "
         "(Required) ready; 3 (Optional) ready; no policy value (present:false) ready — the default is at least "
         "Required; 'abc' (REG_SZ, not a level) advisory (unknown level)",
         {"managedDevices.json": md_page(devs), "evidence.json": bundle(devices=ev)},
         {"devices": OrderedDict((n, {"DEV-015": st}) for n, _, st in tele)}, **CUR)
    denied = D("PC-DIAG-READ-FAILED")
    ev = [joined_ev(denied, registry=[reg_absent(DC_KEY, "AllowTelemetry",
                                                 error="Requested registry access is not allowed.")])]
    case("dev-015-advisory-policy-unreadable",
         "current, DEV-015 advisory: the collector could not read the DataCollection key (present:false with the "
         "read error, as Get-ApRegistryValue writes it): the level is unknown, not 'no policy set' — issue 9: "
         "'diagnostic data at least Required (device evidence; advisory when unknown)'",
         {"managedDevices.json": md_page([denied]), "evidence.json": bundle(devices=ev)},
         {"devices": {"PC-DIAG-READ-FAILED": {"DEV-015": "advisory"}}}, **CUR)


def current_network():
    def ev(d, probes):
        return joined_ev(d, probes=probes)

    eu = D("PC-NET-EU")
    case("dev-009-current-ready-eu-data-boundary-host",
         "current, DEV-009 ready: the device probed the 03/31/2025 list with devicelistenprod.eudb.microsoft.com "
         "instead of devicelistenerprod.microsoft.com (EU Data Boundary tenant; endpoints.md: one or the other) "
         "and reached all six; DEV-008 ready; NET-001 ready",
         {"managedDevices.json": md_page([eu]),
          "evidence.json": bundle(devices=[ev(eu, [probe(h) for h in ENDPOINTS_2025_EU])])},
         {"checks": {"NET-001": "ready"}, "devices": {"PC-NET-EU": {"DEV-008": "ready", "DEV-009": "ready"}}}, **CUR)
    both = D("PC-NET-EU-BOTH")
    probes = [probe(h, fail="tcp" if h == "devicelistenerprod.microsoft.com" else None)
              for h in ENDPOINTS_2025] + [probe(ENDPOINT_EU)]
    case("dev-009-current-ready-eu-host-reached-global-host-blocked",
         "current, DEV-009 ready: the collector probes both hosts of the either-or entry; an EU tenant's firewall "
         "allows devicelistenprod.eudb.microsoft.com and blocks devicelistenerprod.microsoft.com (TCP) — the entry "
         "is reached through its EU host, so nothing required failed; NET-001 ready",
         {"managedDevices.json": md_page([both]), "evidence.json": bundle(devices=[ev(both, probes)])},
         {"checks": {"NET-001": "ready"}, "devices": {"PC-NET-EU-BOTH": {"DEV-009": "ready"}}}, **CUR)
    neither = D("PC-NET-LISTENER-BLOCKED")
    probes = [probe(h, fail="dns" if h == "devicelistenerprod.microsoft.com" else None) for h in ENDPOINTS_2025] + \
        [probe(ENDPOINT_EU, fail="dns")]
    case("dev-009-current-not-ready-device-listener-both-hosts-fail",
         "current, DEV-009 not_ready: neither devicelistenerprod.microsoft.com nor its EU alternative "
         "devicelistenprod.eudb.microsoft.com resolves; NET-001 not_ready (failed on the only probed device)",
         {"managedDevices.json": md_page([neither]), "evidence.json": bundle(devices=[ev(neither, probes)])},
         {"checks": {"NET-001": "not_ready"},
          "devices": {"PC-NET-LISTENER-BLOCKED": {"DEV-008": "ready", "DEV-009": "not_ready"}}}, **CUR)
    a, b = D("PC-NET-SVC-A"), D("PC-NET-SVC-B")
    fail_svc = [probe(h, fail="tls" if h == "services.autopatch.microsoft.com" else None,
                      error="The remote certificate is invalid according to the validation procedure: "
                            "RemoteCertificateChainErrors") for h in ENDPOINTS_2025]
    case("dev-009-current-not-ready-services-autopatch-blocked",
         "current, DEV-009 not_ready on both devices: services.autopatch.microsoft.com (added in the 03/31/2025 "
         "list) fails at the TLS step (TLS-inspecting proxy) while every other host is reached; NET-001 not_ready "
         "(that endpoint failed on every probed device); DEV-008 ready",
         {"managedDevices.json": md_page([a, b]),
          "evidence.json": bundle(devices=[ev(a, fail_svc), ev(b, fail_svc)])},
         {"checks": {"NET-001": "not_ready"},
          "devices": {"PC-NET-SVC-A": {"DEV-008": "ready", "DEV-009": "not_ready", "verdict": "not_ready"},
                      "PC-NET-SVC-B": {"DEV-009": "not_ready"}}}, **CUR)
    old = D("PC-NET-2022-LIST")
    case("dev-009-current-advisory-2022-hosts-only",
         "current, evidence from a collector that probed only the four 2022 hosts (all reached): two of them "
         "(mmdcustomer, mmdls) are still in the 03/31/2025 list and were reached, but devicelistenerprod (or the EU "
         "host), login.windows.net, device.autopatch and services.autopatch were not probed -> DEV-009 advisory "
         "naming them ('not probed'); DEV-008 ready; NET-001 advisory — 'ready: every probed device reached every "
         "endpoint' does not hold when four endpoints of the profile were never probed (partial coverage is "
         "advisory, checks.md Statuses)",
         {"managedDevices.json": md_page([old]),
          "evidence.json": bundle(devices=[ev(old, [probe(h) for h in ENDPOINTS_2022])])},
         {"checks": {"NET-001": "advisory"},
          "devices": {"PC-NET-2022-LIST": {"DEV-008": "ready", "DEV-009": "advisory", "verdict": "advisory"}}},
         **CUR)
    wa, wb = D("PC-NET-WILDCARD-OK"), D("PC-NET-WILDCARD-FAIL")
    extra_ok = [probe("payloadprod7.blob.core.windows.net"), probe("fabrikam-rh.webpubsub.azure.com")]
    extra_fail = [probe("payloadprod7.blob.core.windows.net", fail="tls",
                        error="The underlying connection was closed: Could not establish trust relationship for the "
                              "SSL/TLS secure channel.")]
    case("dev-009-current-wildcard-hosts-checked-when-probed",
         "current, the 03/31/2025 list also names payloadprod*.blob.core.windows.net and *.webpubsub.azure.com; a "
         "probe cannot name a wildcard, but a probed host that matches one is one of the profile's endpoints: "
         "PC-NET-WILDCARD-OK reached the six named hosts plus payloadprod7.blob.core.windows.net and "
         "fabrikam-rh.webpubsub.azure.com -> ready; PC-NET-WILDCARD-FAIL reached the six but "
         "payloadprod7.blob.core.windows.net failed TLS -> not_ready ('any endpoint unreachable'); NET-001 advisory "
         "(failed on some probed devices)",
         {"managedDevices.json": md_page([wa, wb]),
          "evidence.json": bundle(devices=[ev(wa, [probe(h) for h in ENDPOINTS_2025] + extra_ok),
                                           ev(wb, [probe(h) for h in ENDPOINTS_2025] + extra_fail)])},
         {"checks": {"NET-001": "advisory"},
          "devices": {"PC-NET-WILDCARD-OK": {"DEV-009": "ready"},
                      "PC-NET-WILDCARD-FAIL": {"DEV-008": "ready", "DEV-009": "not_ready"}}}, **CUR)
    leftover = D("PC-NET-REMOVED-HOST")
    probes = [probe(h) for h in ENDPOINTS_2025] + [probe("logcollection.mmd.microsoft.com", fail="dns")]
    case("dev-009-current-removed-2022-host-is-not-required",
         "current, DEV-009 ready: all six hosts of the 03/31/2025 list reached; an extra probe of "
         "logcollection.mmd.microsoft.com (removed from the list in 2025) fails DNS and does not count; NET-001 "
         "ready",
         {"managedDevices.json": md_page([leftover]), "evidence.json": bundle(devices=[ev(leftover, probes)])},
         {"checks": {"NET-001": "ready"}, "devices": {"PC-NET-REMOVED-HOST": {"DEV-009": "ready"}}}, **CUR)


def current_support_tables():
    def cm_dev(as_of):
        return comanaged("PC-CM-01", last_sync=ts(as_of - timedelta(days=1, hours=3)),
                         enrolled=as_of - timedelta(days=200))

    from datetime import datetime as _dt
    for when, st, why in [
            ("2023-01-01", "ready", "2203 (5.00.9078) is supported until 2023-10-06; the oldest release in support "
                                    "on 2023-01-01 is 2107 (until 2023-02-02)"),
            ("2024-01-01", "not_ready", "2203's support ended on 2023-10-06 (18 months after 2022-04-08); the "
                                        "oldest release in support on 2024-01-01 is 2207")]:
        t = _dt.strptime(when, "%Y-%m-%d").replace(tzinfo=UTC)
        case("cm-001-current-%s-2203-as-of-%s" % (st.replace("_", "-"), when),
             "current, CM-001 decided from as_of (prerequisites-history.md §2, ConfigMgr table): the same site "
             "version 2203 (--configmgr-version 2203) evaluated on %s -> %s: %s" % (when, st, why),
             {"managedDevices.json": md_page([cm_dev(t)])},
             {"checks": {"CM-001": st, "CM-002": "ready"}},
             as_of=when + "T00:00:00Z", configmgr_version="2203", **CUR)
    for when, st, why in [
            ("2025-06-01", "ready", "2409 (5.00.9132, PDF capture of the Microsoft page) is supported until "
                                    "2026-06-04"),
            ("2026-07-01", "not_ready", "2409's support ended on 2026-06-04")]:
        t = _dt.strptime(when, "%Y-%m-%d").replace(tzinfo=UTC)
        case("cm-001-current-%s-2409-as-of-%s" % (st.replace("_", "-"), when),
             "current, CM-001 decided from as_of: site version 5.00.9132.1011 (2409) evaluated on %s -> %s: %s"
             % (when, st, why),
             {"managedDevices.json": md_page([cm_dev(t)])},
             {"checks": {"CM-001": st}},
             as_of=when + "T00:00:00Z", configmgr_version="5.00.9132.1011", **CUR)

    for when, st, why in [
            ("2023-01-01T00:00:00Z", "ready",
             "2.1.20.0 (released 2022-11-09) is the newest release on that date"),
            ("2023-09-01T00:00:00Z", "advisory",
             "2.2.1.0 was released on 2023-06-19: 2.1.20.0 is supported but no longer the latest"),
            ("2024-06-18T12:00:00Z", "advisory",
             "still supported: since 2023-03-15 a version retires 12 months after a newer one is released, and 12 "
             "months after 2023-06-19 is 2024-06-19 (the version table's own end dates are the same calendar day "
             "12 months on, e.g. 2.2.8.0 released 2023-10-11 -> 2.2.1.0 ends 2024-10-11, across 29 February 2024)"),
            ("2024-07-01T00:00:00Z", "not_ready",
             "retired: more than 12 months after 2.2.1.0 (2023-06-19)")]:
        day = when[:10]
        t = _dt.strptime(when, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        name = "idn-002-current-%s-2-1-20-as-of-%s" % (st.replace("_", "-"), day)
        case(name,
             "current, IDN-002 decided from as_of (prerequisites-history.md §3, Entra Connect policy): the same "
             "sync client 2.1.20.0 (beta onPremisesSynchronization) evaluated on %s -> %s: %s" % (when, st, why),
             {"organization.json": org(sync=True, last=ts(t - timedelta(minutes=35))),
              "onPremisesSynchronization.json": sync_page("2.1.20.0")},
             {"checks": {"IDN-001": "ready", "IDN-002": st}},
             as_of=when, **CUR)


def current_profile():
    current_licences()
    current_editions()
    current_identity_records()
    current_device_evidence()
    current_network()
    current_support_tables()


def main():
    inputs_and_formats()
    licences()
    identity()
    network()
    comanagement()
    device_checks()
    current_profile()
    os.makedirs(CASES_DIR, exist_ok=True)
    for c in CASES:
        write_case(c)
    print("%d cases written to %s" % (len(CASES), CASES_DIR))


if __name__ == "__main__":
    main()
