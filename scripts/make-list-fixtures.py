#!/usr/bin/env python3
"""Write the list files of tests/fixtures/lists: the same unit and recipient
lists saved the ways Excel offers (CSV UTF-8 with CRLF, "CSV" in Windows-1258
with semicolons, "Unicode Text" in UTF-16 with tabs, and XLSX via openpyxl).
Run once after changing a list; the files are committed.

    pip install openpyxl && python3 scripts/make-list-fixtures.py
"""
import pathlib
import unicodedata

import openpyxl

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "lists"

# Good lists import; bad ones have errors on known lines (1 = header).
UNITS_GOOD = [
    ["code", "name", "kind", "parent_code"],
    ["HN", "Thành phố Hà Nội", "city", ""],
    ["SNV", "Sở Nội vụ", "department", "HN"],
    ["P-HOANKIEM", "Phường Hoàn Kiếm", "ward", "HN"],
    ["X-SOCSON", "Xã Sóc Sơn", "commune", "HN"],
    ["P-NGHIATO", "Phường Nghĩa Đô", "ward", "HN"],
]
UNITS_BAD = [
    ["code", "name", "kind", "parent_code"],
    ["HN", "Thành phố Hà Nội", "city", ""],
    ["SNV", "Sở Nội vụ", "department", "HN"],
    ["X-THON", "Thôn Đông", "village", "HN"],      # line 4: unknown kind
    ["P-HOANKIEM", "Phường Hoàn Kiếm", "ward", "HN"],
    ["SNV", "Sở Nội vụ (trùng)", "department", "HN"],  # line 6: code twice
]
RECIPIENTS_GOOD = [
    ["email", "unit_code", "group", "name"],
    ["truong.phong@hanoi.gov.vn", "SNV", "lãnh đạo", "Nguyễn Văn Ánh"],
    ["pho.phong@hanoi.gov.vn", "SNV", "lãnh đạo", "Trần Thị Hường"],
    ["chuyen.vien@hanoi.gov.vn", "SNV", "công chức", "Lê Đức Độ"],
]
RECIPIENTS_BAD = [
    ["email", "unit_code", "group", "name"],
    ["truong.phong@hanoi.gov.vn", "SNV", "lãnh đạo", "Nguyễn Văn Ánh"],
    ["không-phải-địa-chỉ", "SNV", "lãnh đạo", "Trần Thị Hường"],  # line 3
    ["chuyen.vien@hanoi.gov.vn", "SNV", "", "Lê Đức Độ"],          # line 4
]


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def windows_1258(text):
    """Encode as Windows does for code page 1258: a letter with no byte of
    its own is its base letter (itself perhaps precomposed) and a tone mark."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        # Code page 1258 has bytes for the five tone marks; the other marks
        # (circumflex, breve, horn) only exist inside precomposed letters.
        nfd = unicodedata.normalize("NFD", ch)
        tones = [c for c in nfd if c in TONE_MARKS]
        base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in TONE_MARKS))
        out += base.encode("cp1258") + "".join(tones).encode("cp1258")
    return bytes(out)


def csv_text(rows, sep):
    return "".join(sep.join(r) + "\r\n" for r in rows)


def write(name, rows):
    (OUT / f"{name}-utf8-crlf.csv").write_bytes(
        b"\xef\xbb\xbf" + csv_text(rows, ",").encode("utf-8"))
    (OUT / f"{name}-windows-1258.csv").write_bytes(windows_1258(csv_text(rows, ";")))
    (OUT / f"{name}-utf16.txt").write_bytes(csv_text(rows, "\t").encode("utf-16"))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Danh sách"
    for r in rows:
        sheet.append(r)
    book.save(OUT / f"{name}.xlsx")


OUT.mkdir(parents=True, exist_ok=True)
write("units", UNITS_GOOD)
write("units-bad", UNITS_BAD)
write("recipients", RECIPIENTS_GOOD)
write("recipients-bad", RECIPIENTS_BAD)
