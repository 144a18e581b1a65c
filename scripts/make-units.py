#!/usr/bin/env python3
"""Convert the official administrative units (34 provinces, two-tier government, the
Statistics Office's codes) from ../shared/data/vn-divisions-2026.json into the files pakn
ships in Sources/PaknStore/Resources/units/.

Usage:
    python3 scripts/make-units.py /work/shared/data/vn-divisions-2026.json \
        Sources/PaknStore/Resources/units

Writes, in the output directory:

  vn-divisions-2026.tsv       code  name  level  division_type  parent_code  codename
                              (tab-separated, header line first; each province followed
                              by its communes, in the order of the source file)
  corrections-2025.tsv        old_code  official_code  name
                              (the codes of the older, wrong vn-divisions-2025.json and
                              the official code of the same commune; used by the
                              v5-units-2026 migration and kept as aliases)
  changes-since-2025-07-01.json
                              the changes in force since 1 July 2025, as change lists in
                              the format `pakn units import` loads (one per document, with
                              its effective date and how sure that date is)

Province codes are 2 digits, commune codes 5 digits. Text is NFC-normalised UTF-8, LF
line endings. The script refuses duplicate codes, tabs or newlines inside fields, a
commune whose province is missing, an unknown division type, and corrections or changes
that point at a code the file does not have; it prints the counts.
"""
import json
import os
import sys
import unicodedata

HEADER = ["code", "name", "level", "division_type", "parent_code", "codename"]
PROVINCE_TYPES = {"tỉnh", "thành phố"}
COMMUNE_TYPES = {"xã", "phường", "đặc khu"}

# The documents behind `changes_since_2025_07_01` (named in the source file's `source`)
# and the dates pakn records for them. `date_basis` says how sure the date is:
#   "on"     the document's own effective date, checked;
#   "by"     in force no later than this date (the source file's as_of), exact day unknown;
#   "stated" the date from the document as remembered, not re-checked against the gazette.
DOCUMENTS = {
    "code_changes": {
        "document": "Quyết định 19/2025/QĐ-TTg",
        "effective": "2025-07-01",
        "date_basis": "stated",
    },
    "type_changes": {
        "document": "Nghị quyết 237/NQ-UBTVQH16",
        "effective": None,  # the source's as_of
        "date_basis": "by",
    },
    "province_type_changes": {
        "document": "Nghị quyết 30/2026/QH16",
        "effective": None,
        "date_basis": "by",
    },
}


def clean(value):
    text = unicodedata.normalize("NFC", str(value)).strip()
    if "\t" in text or "\n" in text or "\r" in text:
        raise ValueError(f"field contains a tab or newline: {text!r}")
    while "  " in text:
        text = text.replace("  ", " ")
    return text


def slug(text):
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_ = "".join(c for c in folded if unicodedata.category(c) != "Mn").lower()
    out, prev = [], "_"
    for c in ascii_:
        if c.isalnum():
            out.append(c)
            prev = c
        elif prev != "_":
            out.append("_")
            prev = "_"
    return "".join(out).strip("_")


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    src, outdir = argv[1], argv[2]
    with open(src, encoding="utf-8") as f:
        data = json.load(f)

    rows = []
    seen = set()
    by_type = {}
    provinces = {}
    for p in data["provinces"]:
        code = f"{int(p['code']):02d}"
        ptype = clean(p["type"])
        if ptype not in PROVINCE_TYPES:
            raise ValueError(f"province {code}: unknown type {ptype!r}")
        if code in seen:
            raise ValueError(f"duplicate province code {code}")
        seen.add(code)
        name = clean(p["name"])
        short = name
        for lead in ("Thành phố ", "Tỉnh "):
            if short.startswith(lead):
                short = short[len(lead):]
        provinces[code] = [[code, name, "province", ptype, "", slug(short)]]
    for c in data["communes"]:
        code = f"{int(c['code']):05d}"
        pcode = f"{int(c['province']):02d}"
        ctype = clean(c["type"])
        if ctype not in COMMUNE_TYPES:
            raise ValueError(f"commune {code}: unknown type {ctype!r}")
        if pcode not in provinces:
            raise ValueError(f"commune {code}: province {pcode} is not in the file")
        if code in seen:
            raise ValueError(f"duplicate code {code}")
        seen.add(code)
        name = clean(c["name"])
        provinces[pcode].append([code, name, "commune", ctype, pcode, slug(name)])
        by_type[ctype] = by_type.get(ctype, 0) + 1
    for p in provinces.values():
        rows.extend(p)

    communes = {r[0]: r for r in rows if r[2] == "commune"}

    corrections = []
    for c in data["corrections_to_vn_divisions_2025_json"]:
        old, new = f"{int(c['old_code']):05d}", f"{int(c['official_code']):05d}"
        if new not in communes:
            raise ValueError(f"correction {old} -> {new}: {new} is not in the file")
        corrections.append([old, new, communes[new][1]])
    if len({c[0] for c in corrections}) != len(corrections):
        raise ValueError("a 2025 code is corrected twice")

    changes = data["changes_since_2025_07_01"]
    batches = []
    for key in ("code_changes", "type_changes", "province_type_changes"):
        items = changes.get(key, [])
        for it in items:
            code = it.get("new") or it.get("code")
            if code not in seen:
                raise ValueError(f"{key}: {code} is not in the file")
        doc = DOCUMENTS[key]
        batches.append({
            "document": doc["document"],
            "effective": doc["effective"] or data["as_of"],
            "date_basis": doc["date_basis"],
            key: items,
        })

    os.makedirs(outdir, exist_ok=True)
    tsv = os.path.join(outdir, "vn-divisions-2026.tsv")
    with open(tsv, "w", encoding="utf-8", newline="\n") as f:
        f.write("\t".join(HEADER) + "\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    corr = os.path.join(outdir, "corrections-2025.tsv")
    with open(corr, "w", encoding="utf-8", newline="\n") as f:
        f.write("old_code\tofficial_code\tname\n")
        for c in corrections:
            f.write("\t".join(c) + "\n")
    chg = os.path.join(outdir, "changes-since-2025-07-01.json")
    with open(chg, "w", encoding="utf-8", newline="\n") as f:
        json.dump(batches, f, ensure_ascii=False, indent=1)
        f.write("\n")

    n_prov = sum(1 for r in rows if r[2] == "province")
    print(f"provinces:   {n_prov}")
    print(f"communes:    {len(communes)} (" + ", ".join(f"{k}: {v}" for k, v in sorted(by_type.items())) + ")")
    print(f"rows:        {len(rows)} (+1 header) -> {tsv}")
    print(f"corrections: {len(corrections)} -> {corr}")
    print(f"changes:     " + ", ".join(f"{k}: {len(changes.get(k, []))}" for k in DOCUMENTS) + f" -> {chg}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
