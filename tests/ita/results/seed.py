"""The seed's ITA scores (แม่สายมิตรภาพ, FY 2566) and the headers of the long and wide files."""

from decimal import Decimal

SEED = "95.01 84.45 88.62 83.07 86.04 85.07 84.54 82.73 100 100".split()
SEED_DECIMALS = {n: Decimal(v).quantize(Decimal("0.01")) for n, v in enumerate(SEED, start=1)}
LONG = ["รหัส อปท.", "ปีงบประมาณ", "ตัวชี้วัด", "คะแนน"]
WIDE = ["รหัส อปท.", "ปีงบประมาณ", *(f"ตัวชี้วัดที่ {n}" for n in range(1, 11))]
THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
