#!/usr/bin/env python3
"""Derive sipas's import files from the National Statistics Office's
conversion table (Cục Thống kê, "Bảng chuyển đổi ĐVHC mới - cũ", official
codes of Công văn 1027/CTK-CSCL, 25/6/2025), as kept in
shared/data/hanoi-2025. Run: python3 derive.py PATH/TO/hanoi-2025

The city gets the code HN (as in examples/hanoi-units.csv) and heads both
trees; districts hang under it before 1 July 2025, communes under their
district; from that day the communes hang under the city.
"""
import csv
import sys
from pathlib import Path

src = Path(sys.argv[1] if len(sys.argv) > 1 else "../../../shared/data/hanoi-2025")
here = Path(__file__).parent
CITY = ["HN", "Thành phố Hà Nội", "city", ""]


def rows(name):
    with open(src / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write(name, header, body):
    with open(here / name, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(body)


def kind(u):
    # The table files Thị xã Sơn Tây under "huyen"; its name says what it is.
    return "thi_xa" if u["name"].lower().startswith("thị xã") else u["kind"]


before = rows("units-before-2025-07-01.csv")
write(
    "units-before-2025-07-01.csv",
    ["code", "name", "kind", "parent_code"],
    [CITY] + [[u["code"], u["name"], kind(u), u["parent_code"] or "HN"] for u in before],
)
after = rows("units-from-2025-07-01.csv")
write(
    "units-from-2025-07-01.csv",
    ["code", "name", "kind", "parent_code"],
    [CITY] + [[u["code"], u["name"], u["kind"], "HN"] for u in after],
)
links = rows("lineage-2025-07-01.csv")
write(
    "lineage-2025-07-01.csv",
    ["new_code", "old_code", "kind", "share", "note", "new_name", "old_name", "old_district_code"],
    [
        [l["new_code"], l["old_code"], "whole" if l["kind"] == "full" else "part", "",
         l["note"], l["new_name"], l["old_name"], l["old_district_code"]]
        for l in links
    ],
)
print(f"{len(before) + 1} units before, {len(after) + 1} from 2025-07-01, {len(links)} links")
