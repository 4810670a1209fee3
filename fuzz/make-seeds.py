#!/usr/bin/env python3
"""Writes the seed corpus of the `run` fuzz target into fuzz/corpus/run/ (not committed).

Seeds: every case under tests/cases/ (its inputs, at most 3 files), the sample tenant's files
alone and in groups of three, and the committed hostile corpus (tests/hostile/files/). Layout of
one seed (see fuzz_targets/run.rs): byte 0 = (number of files - 1) + 3 * options index,
byte 1 = file-name selector, then the files separated by SEP.
"""
import hashlib
import pathlib
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "fuzz" / "corpus" / "run"
SEP = b"\n=apready-next-file=\n"
OPTIONS = 15  # valid entries of OPTIONS in run.rs (the 16th is the invalid one)
MAX_FILE = 48 * 1024  # seeds above this are cut (libFuzzer -max_len keeps inputs small)


def files_of(case_dir: pathlib.Path, inputs):
    out = []
    for name in inputs:
        p = (case_dir / name).resolve()
        if p.is_dir():
            out += sorted(x for x in p.rglob("*") if x.is_file() and x.suffix not in (".md", ".toml"))
        elif p.is_file():
            out.append(p)
    return out


def seed(files, n: int) -> bytes:
    files = files[:3]
    ctl = (len(files) - 1) + 3 * (n % OPTIONS)
    body = SEP.join(f.read_bytes()[:MAX_FILE] for f in files)
    return bytes([ctl % 256, n % 12]) + body


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    seeds = []
    for case in sorted((ROOT / "tests" / "cases").iterdir()):
        toml = case / "case.toml"
        if not toml.is_file():
            continue
        inputs = tomllib.loads(toml.read_text(encoding="utf-8")).get("inputs", [])
        files = files_of(case, inputs)
        if files:
            seeds.append(files)
    sample = sorted(p for p in (ROOT / "tests" / "data" / "sample-tenant").glob("*.json"))
    seeds += [[p] for p in sample]
    seeds += [sample[i : i + 3] for i in range(0, len(sample), 3)]
    hostile = ROOT / "tests" / "hostile" / "files"
    if hostile.is_dir():
        seeds += [[p] for p in sorted(hostile.iterdir()) if p.is_file()]
    written = 0
    for n, files in enumerate(seeds):
        try:
            data = seed(files, n)
        except OSError:  # a case being rewritten while we read it
            continue
        name = hashlib.sha1(data).hexdigest()
        (OUT / name).write_bytes(data)
        written += 1
    print(f"wrote {written} seeds to {OUT}")


if __name__ == "__main__":
    main()
