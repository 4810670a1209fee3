#!/usr/bin/env python3
"""Writes the committed hostile inputs under tests/hostile/files/ (standard library only,
deterministic: running it twice gives byte-identical files). The big ones (100 000-deep
nesting, a 1 GB string, 10^7 empty objects) are not committed: tests/tests/hostile.rs generates
them at test time from the generator names in manifest.toml.

    python3 tests/hostile/make-files.py
"""
import gzip
import io
import json
import pathlib
import zipfile

OUT = pathlib.Path(__file__).resolve().parent / "files"
V1 = "https://graph.microsoft.com/v1.0/$metadata#"
BETA = "https://graph.microsoft.com/beta/$metadata#"
MD_CTX = V1 + "deviceManagement/managedDevices"
MD_NEXT = "https://graph.microsoft.com/v1.0/deviceManagement/managedDevices?$skiptoken="


def device(n, **over):
    d = {
        "id": f"00000000-0000-4000-8000-{n:012d}",
        "deviceName": f"HOSTILE-{n:04d}",
        "operatingSystem": "Windows",
        "osVersion": "10.0.19045.2006",
        "managedDeviceOwnerType": "company",
        "managementAgent": "mdm",
        "lastSyncDateTime": "2022-06-14T10:00:00Z",
        "azureADDeviceId": f"11111111-0000-4000-8000-{n:012d}",
        "serialNumber": f"SN{n:06d}",
        "userId": None,
    }
    d.update(over)
    return d


def page(ctx, records, next_link=None):
    p = {"@odata.context": ctx}
    if next_link:
        p["@odata.nextLink"] = next_link
    p["value"] = records
    return p


def dump(obj):
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")


def write(name, data: bytes):
    (OUT / name).write_bytes(data)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    good = dump(page(MD_CTX, [device(1), device(2)]))
    write("good.managedDevices.json", good)

    # --- invalid UTF-8 -------------------------------------------------------------------
    name_at = good.index(b"HOSTILE-0002")
    for tag, bad in {
        "latin1": b"\xe9",  # ANSI code page
        "overlong": b"\xc0\xaf",  # overlong '/'
        "surrogate": b"\xed\xa0\x80",  # UTF-8-encoded surrogate D800
        "ff": b"\xff\xfe\xfd",
    }.items():
        write(f"invalid-utf8-{tag}.managedDevices.json", good[:name_at] + bad + good[name_at:])
    write("invalid-utf8-cut-at-end.managedDevices.json", good + b"\xe2\x82")

    # --- lone UTF-16 surrogates --------------------------------------------------------------
    text = good.decode("utf-8")
    at = text.index("HOSTILE-0002")
    le = text[:at].encode("utf-16-le") + b"\x00\xd8" + text[at:].encode("utf-16-le")
    write("utf16le-lone-high-surrogate.managedDevices.json", b"\xff\xfe" + le)
    be = text[:at].encode("utf-16-be") + b"\xdc\x00" + text[at:].encode("utf-16-be")
    write("utf16be-lone-low-surrogate.managedDevices.json", b"\xfe\xff" + be)
    # The same as JSON escapes in UTF-8 text: in a field apready reads, in one it skips, in a key.
    write(
        "escape-lone-surrogate-read.managedDevices.json",
        good.replace(b"HOSTILE-0002", b"HOSTILE-\\ud800-0002"),
    )
    write(
        "escape-lone-surrogate-skipped.managedDevices.json",
        good.replace(b'"serialNumber": "SN000002"', b'"serialNumber": "SN000002", "notes": "\\udc00"'),
    )
    write(
        "escape-lone-surrogate-key.managedDevices.json",
        good.replace(b'"serialNumber": "SN000002"', b'"serialNumber": "SN000002", "\\ud83d": 1'),
    )

    # --- byte-order-mark mismatches ------------------------------------------------------------
    write("bom-utf8-then-utf16le.managedDevices.json", b"\xef\xbb\xbf" + text.encode("utf-16-le"))
    write("bom-utf16le-odd-length.managedDevices.json", b"\xff\xfe" + text.encode("utf-16-le") + b"\x00")
    write("bom-utf16be-odd-length.managedDevices.json", b"\xfe\xff" + text.encode("utf-16-be")[:-1])
    write("bom-utf16le-then-utf8.managedDevices.json", b"\xff\xfe" + good)
    write("bom-utf16be-then-utf16le.managedDevices.json", b"\xfe\xff" + text.encode("utf-16-le"))
    write("bom-utf8-twice.managedDevices.json", b"\xef\xbb\xbf\xef\xbb\xbf" + good)
    write("bom-utf32le.managedDevices.json", b"\xff\xfe\x00\x00" + text.encode("utf-32-le"))

    # --- duplicate keys ---------------------------------------------------------------------------
    # Hand-written: json.dumps cannot repeat a key. The later value wins (serde's visitor sees
    # both; every field assignment overwrites), so device 2 ends configurationManagerClient.
    write(
        "duplicate-keys-record.managedDevices.json",
        (
            '{"@odata.context":"' + MD_CTX + '","value":['
            + json.dumps(device(1))
            + ',{"id":"00000000-0000-4000-8000-000000000002","deviceName":"DUP-FIRST",'
            '"deviceName":"DUP-SECOND","operatingSystem":"Windows","osVersion":"10.0.19045.2006",'
            '"managedDeviceOwnerType":"company","managementAgent":"mdm",'
            '"managementAgent":"configurationManagerClient",'
            '"lastSyncDateTime":"2022-06-14T10:00:00Z","lastSyncDateTime":"2022-06-14T11:00:00Z"}'
            "]}"
        ).encode(),
    )
    write(
        "duplicate-keys-page.managedDevices.json",
        (
            '{"@odata.context":"' + MD_CTX + '","value":[' + json.dumps(device(1)) + '],'
            '"value":[' + json.dumps(device(2)) + "]}"
        ).encode(),
    )
    write(
        "duplicate-keys-context.json",
        (
            '{"@odata.context":"' + V1 + 'users","@odata.context":"' + MD_CTX + '",'
            '"value":[' + json.dumps(device(1)) + "]}"
        ).encode(),
    )
    write(
        "duplicate-keys-schema-1-then-99.snapshot.json",
        b'{"schema":"apready.snapshot/1","schema":"apready.snapshot/99","collected_at":"2022-06-15T00:00:00Z","graph":[]}',
    )
    write(
        "duplicate-keys-schema-99-then-1.snapshot.json",
        b'{"schema":"apready.snapshot/99","schema":"apready.snapshot/1","collected_at":"2022-06-15T00:00:00Z","graph":[]}',
    )

    # --- numbers where strings belong, and the reverse ----------------------------------------------
    write(
        "numbers-for-strings.managedDevices.json",
        dump(
            page(
                MD_CTX,
                [
                    device(1),
                    device(
                        2,
                        deviceName=42,
                        managementAgent=2,
                        managedDeviceOwnerType=1,
                        lastSyncDateTime=1655200000,
                        azureADDeviceId=12345,
                        osVersion=10.0,
                    ),
                ],
            )
        ),
    )
    write(
        "strings-for-numbers.subscribedSkus.json",
        dump(
            page(
                V1 + "subscribedSkus",
                [
                    {
                        "skuId": "05e9a617-0261-4cee-bb44-138d3ef5d965",
                        "skuPartNumber": "SPE_E3",
                        "capabilityStatus": "Enabled",
                        "consumedUnits": "25",
                        "prepaidUnits": {"enabled": "100", "suspended": "0", "warning": False},
                        "servicePlans": "all of them",
                    }
                ],
            )
        ),
    )
    write(
        "strings-for-booleans.devices.json",
        dump(
            page(
                V1 + "devices",
                [
                    {
                        "id": "22222222-0000-4000-8000-000000000001",
                        "deviceId": "11111111-0000-4000-8000-000000000001",
                        "displayName": "HOSTILE-0001",
                        "accountEnabled": "true",
                        "operatingSystem": "Windows",
                        "operatingSystemVersion": 10,
                        "trustType": ["AzureAd"],
                        "approximateLastSignInDateTime": True,
                    }
                ],
            )
        ),
    )

    # --- null everywhere ----------------------------------------------------------------------------
    write("null-top-level.json", b"null")
    write("null-value.managedDevices.json", dump({"@odata.context": MD_CTX, "value": None}))
    write("null-elements.managedDevices.json", dump({"@odata.context": MD_CTX, "value": [None, None]}))
    write(
        "null-every-member.managedDevices.json",
        dump(page(MD_CTX, [{k: None for k in device(1)} | {"id": device(1)["id"]}, device(2)])),
    )
    write(
        "null-context-and-link.managedDevices.json",
        dump({"@odata.context": None, "@odata.nextLink": None, "value": [device(1)]}),
    )
    write(
        "null-bundle-members.snapshot.json",
        dump(
            {
                "schema": "apready.snapshot/1",
                "collected_at": None,
                "complete": None,
                "collector": None,
                "problems": None,
                "graph": [None, {"request": None, "page": None}],
                "devices": [None, {k: None for k in ("computer_name", "serial_number", "os", "dsregcmd", "registry", "probes")}],
            }
        ),
    )
    write("null-schema.snapshot.json", dump({"schema": None, "graph": [], "devices": []}))

    # --- an @odata.nextLink loop: two pages pointing at each other, no last page -------------------
    a = MD_NEXT + "A"
    b = MD_NEXT + "B"
    write("loop/managedDevices.page-a.json", dump(page(MD_CTX, [device(1)], next_link=b)))
    write("loop/managedDevices.page-b.json", dump(page(MD_CTX, [device(2)], next_link=a)))
    write("managedDevices.self-loop.json", dump(page(MD_CTX, [device(1)], next_link=MD_NEXT + "SELF")))

    # --- a bundle from the future -------------------------------------------------------------------
    bundle = {
        "schema": "apready.snapshot/99",
        "collected_at": "2022-06-15T00:00:00Z",
        "complete": True,
        "graph": [{"request": MD_NEXT, "page": page(MD_CTX, [device(1)])}],
        "devices": [],
    }
    write("snapshot-99.snapshot.json", dump(bundle))
    bundle["schema"] = "apready.snapshot/99999999999999999999999999"
    write("snapshot-huge-version.snapshot.json", dump(bundle))

    # --- compressed input ----------------------------------------------------------------------------
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo("managedDevices.json", date_time=(2022, 6, 15, 0, 0, 0))
        z.writestr(info, good, compress_type=zipfile.ZIP_DEFLATED)
    write("export.zip", buf.getvalue())
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as z:
        info = zipfile.ZipInfo("managedDevices.json", date_time=(2022, 6, 15, 0, 0, 0))
        z.writestr(info, good, compress_type=zipfile.ZIP_STORED)
    write("stored.managedDevices.json.zip", buf.getvalue())
    write("managedDevices.json.gz", gzip.compress(good, mtime=0))

    # --- odd but valid JSON --------------------------------------------------------------------------
    write(
        "numbers-out-of-range.managedDevices.json",
        good.replace(b'"osVersion": "10.0.19045.2006"', b'"osVersion": "10.0.19045.2006", "totalStorageSpaceInBytes": 1e999', 1),
    )
    write(
        "number-out-of-range-read.managedDevices.json",
        good.replace(b'"deviceName": "HOSTILE-0002"', b'"deviceName": -1e999', 1),
    )
    write(
        "control-and-bidi-names.managedDevices.json",
        dump(
            page(
                MD_CTX,
                [
                    device(1, deviceName="NUL\u0000BEL\u0007ESC\u001b[31mRED"),
                    device(2, deviceName="\u202egnp.exe\u2066 \ufeff\ufffe\U0010ffff"),
                ],
            )
        ),
    )


if __name__ == "__main__":
    main()
