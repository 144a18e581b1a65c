#!/usr/bin/env python3
"""Convert the 2025 administrative divisions (34 provinces, two-tier government)
from the provinces.open-api.vn style JSON into the TSV that pakn ships.

Usage:
    python3 scripts/make-units.py /work/shared/data/vn-divisions-2025.json \
        Sources/PaknStore/Resources/units/vn-divisions-2025.tsv

Output columns (tab-separated, header line first):
    code  name  level  division_type  parent_code  codename

Province codes are zero-padded to 2 digits, commune codes to 5 digits.
level is "province" or "commune"; parent_code is empty for provinces.
Rows keep the input order: each province followed by its communes.
Text is written as NFC-normalised UTF-8 with LF line endings.
"""
import json
import sys
import unicodedata

HEADER = ["code", "name", "level", "division_type", "parent_code", "codename"]


def clean(value):
    text = unicodedata.normalize("NFC", str(value)).strip()
    if "\t" in text or "\n" in text or "\r" in text:
        raise ValueError(f"field contains a tab or newline: {text!r}")
    return text


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    src, dst = argv[1], argv[2]
    with open(src, encoding="utf-8") as f:
        provinces = json.load(f)

    rows = []
    seen = set()
    n_prov = n_comm = 0
    by_type = {}
    for p in provinces:
        pcode = f"{int(p['code']):02d}"
        if pcode in seen:
            raise ValueError(f"duplicate province code {pcode}")
        seen.add(pcode)
        rows.append([pcode, clean(p["name"]), "province", clean(p["division_type"]), "", clean(p["codename"])])
        n_prov += 1
        for w in p.get("wards", []):
            wcode = f"{int(w['code']):05d}"
            if wcode in seen:
                raise ValueError(f"duplicate commune code {wcode}")
            seen.add(wcode)
            dtype = clean(w["division_type"])
            rows.append([wcode, clean(w["name"]), "commune", dtype, pcode, clean(w["codename"])])
            n_comm += 1
            by_type[dtype] = by_type.get(dtype, 0) + 1

    with open(dst, "w", encoding="utf-8", newline="\n") as f:
        f.write("\t".join(HEADER) + "\n")
        for r in rows:
            f.write("\t".join(r) + "\n")

    print(f"provinces: {n_prov}")
    print(f"communes:  {n_comm} (" + ", ".join(f"{k}: {v}" for k, v in sorted(by_type.items())) + ")")
    print(f"rows:      {len(rows)} (+1 header) -> {dst}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
