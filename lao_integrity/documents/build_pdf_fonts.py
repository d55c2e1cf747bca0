"""Build the derived "Sarabun PDF" fonts from the upstream Sarabun TTFs.

    python -m lao_integrity.documents.build_pdf_fonts          # rewrite static/fonts/sarabun-pdf/*.ttf
    python -m lao_integrity.documents.build_pdf_fonts --check  # exit 1 if a checked-in font is stale

The outputs are checked in, so only run this after changing ``fonts.py`` or the upstream files.
The build is deterministic for a given fontTools version (the head table's timestamps are kept).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from lao_integrity.documents.fonts import FACES, build_pdf_font


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare with the checked-in fonts")
    args = parser.parse_args(argv)
    stale = []
    with tempfile.TemporaryDirectory() as tmp:
        for face in FACES:
            built = Path(tmp) / face.path.name
            build_pdf_font(face.upstream, built)
            data = built.read_bytes()
            if args.check:
                if not face.path.exists() or face.path.read_bytes() != data:
                    stale.append(face.path)
                continue
            face.path.write_bytes(data)
            print(f"{face.path} ({len(data):,} bytes) from {face.upstream.name}")
    for path in stale:
        print(f"stale: {path}", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
