# The benchmark's jq peer: the same subset of apready's checks as apready.rego (scope,
# DEV-001, DEV-002, DEV-003, DEV-006, DEV-007, device roll-up), over the raw Graph page files.
#
#   jq -n -c --arg asof 2022-06-15T00:00:00Z --argjson lic '{"<sku>":["<plan>",…],…}' \
#      -f apready.jq <page files>…
#
# Prints {"summary":{…},"devices":[{"id","name","verdict","checks":[…]},…]}.

def str(k): (.[k] // "") | if type == "string" then . else "" end;
def low(k): str(k) | ascii_downcase | ltrimstr(" ") | rtrimstr(" ");
def nilg: . == "" or . == "00000000-0000-0000-0000-000000000000";
def ctx: (.["@odata.context"] // "") | if type == "string" then . else "" end;
def ts: .[0:19] + "Z" | fromdateiso8601;
def worst: if any(.[]; . == "not_ready") then "not_ready"
           elif any(.[]; . == "advisory") then "advisory" else "ready" end;

($asof | ts) as $now
| 86400 as $day
| [inputs] as $pages
| [$pages[] | select(ctx | contains("$metadata#deviceManagement/managedDevices")) | .value[]] as $all_md
| [$pages[] | select(ctx | contains("$metadata#devices")) | .value[]] as $entra
| [$pages[] | select(ctx | contains("$metadata#users")) | .value[]] as $users
| [$all_md[] | select(low("operatingSystem") | contains("windows"))] as $md
| (reduce $entra[] as $e ({}; .[$e | low("deviceId")] = $e)) as $entra_by_id
| (reduce $users[] as $u ({}; .[$u | low("id")] = $u)) as $users_by_id
| (reduce ($all_md[] | low("azureADDeviceId") | select(nilg | not)) as $a ({}; .[$a] = true)) as $referenced
| (reduce ($md[] | low("azureADDeviceId") | select(nilg | not)) as $a ({}; .[$a] += 1)) as $per_aad
| ["mdm", "easmdm", "configurationmanagerclientmdm", "configurationmanagerclientmdmeas", "microsoft365managedmdm"] as $ready_agents
| ["configurationmanagerclient", "eas", "intuneclient", "easintuneclient", "mssense", "jamf", "unknown"] as $nr_agents
| def entitling($l):
    ($lic[$l.skuId | ascii_downcase]) as $plans
    | $plans != null
      and (($plans | length) == 0
           or ([($l.disabledPlans // [])[] | ascii_downcase] as $dis | any($plans[]; . as $p | $dis | index([$p]) | not)));
  def entitled:
    if (.licenseAssignmentStates | type) == "array" then
      any(.licenseAssignmentStates[]; ((.state | type) != "string" or ((.state | ascii_downcase) | . == "active" or . == "activewitherror")) and entitling(.))
    else any((.assignedLicenses // [])[]; entitling(.)) end;
  def dev001: low("managementAgent") as $a
    | if ($ready_agents | index([$a])) then "ready"
      elif ($nr_agents | index([$a])) then "not_ready" else "advisory" end;
  def dev002: low("managedDeviceOwnerType")
    | if . == "company" then "ready" elif . == "personal" then "not_ready" else "advisory" end;
  def dev003: str("lastSyncDateTime") as $t
    | if ($t | startswith("0001-01-01")) then "not_ready"
      else ($now - ($t | ts)) as $age
      | if $age > 28 * $day then "not_ready" elif $age > 21 * $day then "advisory" else "ready" end
      end;
  def dev006: low("azureADDeviceId") as $a
    | if ($a | nilg) then "not_ready"
      elif $entra_by_id[$a] == null then "not_ready"
      elif $entra_by_id[$a].accountEnabled != true then "not_ready"
      elif $per_aad[$a] > 1 then "advisory" else "ready" end;
  def dev007: low("userId") as $u
    | if ($u | nilg) then "advisory"
      elif $users_by_id[$u] == null then "advisory"
      elif ($users_by_id[$u] | entitled) then "ready" else "not_ready" end;
  [ $md[] | [dev001, dev002, dev003, dev006, dev007] as $ss
    | {id: .id, name: str("deviceName"), verdict: ($ss | worst), checks: $ss} ] as $intune
| [ $entra[]
    | low("deviceId") as $did
    | select($referenced[$did] | not)
    | low("operatingSystem") as $os
    | select(($os | contains("windows")) and ($os | contains("server") | not))
    | select(low("trustType") | . == "azuread" or . == "serverad")
    | select(.accountEnabled == true)
    | select((str("approximateLastSignInDateTime") | ts) >= $now - 28 * $day)
    | {id: $did, name: str("displayName"), verdict: "not_ready", checks: ["not_ready"]} ] as $entra_only
| ($intune + $entra_only) as $devices
| ([$entra[] | select($referenced[low("deviceId")])] | length) as $entra_joined
| {
    summary: {
      verdict: ([$devices[].verdict] | worst),
      total: ($devices | length),
      ready: ([$devices[] | select(.verdict == "ready")] | length),
      advisory: ([$devices[] | select(.verdict == "advisory")] | length),
      not_ready: ([$devices[] | select(.verdict == "not_ready")] | length),
      error: 0,
      out_of_scope: (($all_md | length) - ($md | length) + ($entra | length) - $entra_joined - ($entra_only | length))
    },
    devices: $devices
  }
