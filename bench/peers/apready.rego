# The benchmark's Rego peer: a faithful subset of apready's checks (checks.md) written the way
# a ScubaGear-style Rego policy would, evaluated by regorus over the raw Graph pages loaded as
# data (data.pages: every page file as it is; data.params: as_of and the license table built
# from the core's own licensing table).
#
# Subset: scope (Windows Intune records; active Windows Entra-only devices fail DEV-001),
# DEV-001 management agent, DEV-002 ownership, DEV-003 last contact (28 days, advisory after
# 21), DEV-006 Entra join (missing, disabled, nil id, duplicate Intune records), DEV-007 the
# primary user's entitling license (licenseAssignmentStates when present, else
# assignedLicenses; the Windows Enterprise plan not disabled), and the device verdict roll-up
# (not_ready > advisory > ready; a user missing from the export is not_evaluated, which rolls
# up as advisory). The managedDevices chain may be v1.0 or beta (the synthetic tenant has one beta chain).
package apready

import rego.v1

day_ns := 86400000000000

as_of_ns := time.parse_rfc3339_ns(data.params.as_of)

ctx(p) := c if {
	c := object.get(p, "@odata.context", "")
	is_string(c)
} else := ""

str(r, k) := s if {
	s := object.get(r, k, "")
	is_string(s)
} else := ""

low(r, k) := lower(trim_space(str(r, k)))

nil_guid(s) if s == ""

nil_guid(s) if s == "00000000-0000-0000-0000-000000000000"

all_md := [r |
	some p in data.pages
	contains(ctx(p), "$metadata#deviceManagement/managedDevices")
	some r in p.value
]

entra := [r |
	some p in data.pages
	contains(ctx(p), "$metadata#devices")
	some r in p.value
]

users := [r |
	some p in data.pages
	contains(ctx(p), "$metadata#users")
	some r in p.value
]

md := [r | some r in all_md; contains(low(r, "operatingSystem"), "windows")]

entra_by_id := {low(e, "deviceId"): e | some e in entra}

users_by_id := {low(u, "id"): u | some u in users}

referenced := {a | some r in all_md; a := low(r, "azureADDeviceId"); not nil_guid(a)}

# Intune records per Entra device: sort, then equal neighbours are duplicates (a count per
# key would be quadratic in Rego).
aads_sorted := sort([a | some r in md; a := low(r, "azureADDeviceId"); not nil_guid(a)])

dup_aads := {aads_sorted[i] |
	some i in numbers.range(1, count(aads_sorted) - 1)
	aads_sorted[i] == aads_sorted[i - 1]
}

ready_agents := {"mdm", "easmdm", "configurationmanagerclientmdm", "configurationmanagerclientmdmeas", "microsoft365managedmdm"}

not_ready_agents := {"configurationmanagerclient", "eas", "intuneclient", "easintuneclient", "mssense", "jamf", "unknown"}

dev001(r) := "ready" if {
	low(r, "managementAgent") in ready_agents
} else := "not_ready" if {
	low(r, "managementAgent") in not_ready_agents
} else := "advisory"

dev002(r) := "ready" if {
	low(r, "managedDeviceOwnerType") == "company"
} else := "not_ready" if {
	low(r, "managedDeviceOwnerType") == "personal"
} else := "advisory"

age_ns(r) := as_of_ns - time.parse_rfc3339_ns(str(r, "lastSyncDateTime"))

dev003(r) := "not_ready" if {
	startswith(str(r, "lastSyncDateTime"), "0001-01-01")
} else := "not_ready" if {
	age_ns(r) > 28 * day_ns
} else := "advisory" if {
	age_ns(r) > 21 * day_ns
} else := "ready"

dev006(r) := "not_ready" if {
	nil_guid(low(r, "azureADDeviceId"))
} else := "not_ready" if {
	not entra_by_id[low(r, "azureADDeviceId")]
} else := "not_ready" if {
	entra_by_id[low(r, "azureADDeviceId")].accountEnabled != true
} else := "advisory" if {
	low(r, "azureADDeviceId") in dup_aads
} else := "ready"

state_ok(l) if not is_string(l.state)

state_ok(l) if lower(l.state) in {"active", "activewitherror"}

all_plans_disabled(plans, l) if {
	count(plans) > 0
	disabled := {lower(p) | some p in l.disabledPlans}
	every p in plans {
		p in disabled
	}
}

entitling(l) if {
	plans := data.params.lic[lower(l.skuId)]
	not all_plans_disabled(plans, l)
}

entitled(u) if {
	is_array(u.licenseAssignmentStates)
	some l in u.licenseAssignmentStates
	state_ok(l)
	entitling(l)
}

entitled(u) if {
	not is_array(u.licenseAssignmentStates)
	some l in u.assignedLicenses
	entitling(l)
}

dev007(r) := "advisory" if {
	nil_guid(low(r, "userId"))
} else := "advisory" if {
	not users_by_id[low(r, "userId")]
} else := "ready" if {
	entitled(users_by_id[low(r, "userId")])
} else := "not_ready"

worst(ss) := "not_ready" if {
	"not_ready" in ss
} else := "advisory" if {
	"advisory" in ss
} else := "ready"

intune_devices := [d |
	some r in md
	ss := [dev001(r), dev002(r), dev003(r), dev006(r), dev007(r)]
	d := {"id": r.id, "name": str(r, "deviceName"), "verdict": worst(ss), "checks": ss}
]

entra_only := [d |
	some e in entra
	did := low(e, "deviceId")
	not did in referenced
	os := low(e, "operatingSystem")
	contains(os, "windows")
	not contains(os, "server")
	low(e, "trustType") in {"azuread", "serverad"}
	e.accountEnabled == true
	time.parse_rfc3339_ns(str(e, "approximateLastSignInDateTime")) >= as_of_ns - 28 * day_ns
	d := {"id": did, "name": str(e, "displayName"), "verdict": "not_ready", "checks": ["not_ready"]}
]

devices := array.concat(intune_devices, entra_only)

summary := {
	"verdict": worst({d.verdict | some d in devices}),
	"total": count(devices),
	"ready": count([1 | some d in devices; d.verdict == "ready"]),
	"advisory": count([1 | some d in devices; d.verdict == "advisory"]),
	"not_ready": count([1 | some d in devices; d.verdict == "not_ready"]),
	"error": 0,
	"out_of_scope": (count(all_md) - count(md)) + (count(entra) - count([e | some e in entra; low(e, "deviceId") in referenced])) - count(entra_only),
}

report := {"summary": summary, "devices": devices}
