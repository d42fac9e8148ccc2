#!/usr/bin/env python3
"""Makes the OCR fixtures of tests/it/ocr.rs from our own sample contracts.

- `<sample>_scanned.pdf`: each page of contracts_samples/<sample>.pdf rendered
  at 200 dpi (poppler's pdftoppm), turned a little, speckled, saved as JPEG and
  rebuilt as an image-only PDF — what a office scanner makes of a signed copy.
- `rate_table_scanned.pdf`: a fee-schedule exhibit typeset as a table (typst),
  then scanned the same way: a table that only OCR can read.
- `garbled_font.pdf`: harbor_bad.pdf with every font's /ToUnicode map
  unlinked (the key renamed, same length, so the file stays valid): it renders
  as before, but its text layer is codes, not letters.

Needs pdftoppm, Pillow and typst (`pip install Pillow typst`); the files are
committed, so tests never need Python. The wording is our own.
Run: python3 scripts/make_scanned_pdfs.py
"""
import io
import pathlib
import random
import subprocess
import tempfile

import typst
from PIL import Image

ROOT = pathlib.Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "contracts_samples"
OUT = ROOT / "tests" / "fixtures" / "ocr"
DPI = 200

RATE_TABLE = r"""#set page(paper: "us-letter", margin: 1in)
#set text(font: "Libertinus Serif", size: 11pt)
#align(center)[#strong[EXHIBIT B \ PROFESSIONAL FEE SCHEDULE]]

Northgate Health Plan shall pay Group for the Covered Services below at the
allowed amounts shown. Plan may revise this fee schedule at any time by posting
a revised schedule on its provider portal.

#table(
  columns: (auto, 1fr, auto, auto),
  inset: 7pt,
  stroke: none,
  [*Code*], [*Service*], [*Allowed*], [*Basis*],
  [99213], [Office visit, established patient], [\$84.20], [95% of Medicare],
  [99214], [Office visit, moderate complexity], [\$121.50], [95% of Medicare],
  [99203], [Office visit, new patient], [\$98.75], [95% of Medicare],
  [93000], [Electrocardiogram with report], [\$15.40], [90% of Medicare],
  [G0438], [Annual wellness visit, first], [\$168.10], [100% of Medicare],
)

Allowed amounts are based on the 2019 Medicare Physician Fee Schedule for the
applicable locality. Payment for each Covered Service shall be the lesser of
Group's billed charges or the allowed amount above.
"""


def scan(pdf: bytes, seed: int) -> bytes:
    """Renders every page, turns and speckles it, and rebuilds an image-only PDF."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        src = pathlib.Path(tmp) / "in.pdf"
        src.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", str(src), f"{tmp}/p"], check=True)
        pages = []
        for png in sorted(pathlib.Path(tmp).glob("p-*.png")):
            page = Image.open(png).convert("L")
            page = page.rotate(rng.uniform(-0.8, 0.8), resample=Image.BICUBIC, fillcolor=255)
            noise = Image.effect_noise(page.size, 40).convert("L")
            page = Image.blend(page, noise, 0.08)
            buf = io.BytesIO()
            page.save(buf, "JPEG", quality=60)
            pages.append(Image.open(io.BytesIO(buf.getvalue())))
        out = io.BytesIO()
        pages[0].save(out, "PDF", resolution=DPI, save_all=True, append_images=pages[1:])
        return out.getvalue()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for seed, name in enumerate(["harbor_bad", "summit_amendment_2026"]):
        target = OUT / f"{name}_scanned.pdf"
        target.write_bytes(scan((SAMPLES / f"{name}.pdf").read_bytes(), seed))
        print(f"wrote {target.relative_to(ROOT)}")
    with tempfile.TemporaryDirectory() as tmp:
        src = pathlib.Path(tmp) / "table.typ"
        src.write_text(RATE_TABLE, encoding="utf-8")
        table = typst.compile(str(src))
    target = OUT / "rate_table_scanned.pdf"
    target.write_bytes(scan(table, 7))
    print(f"wrote {target.relative_to(ROOT)}")
    garbled = (SAMPLES / "harbor_bad.pdf").read_bytes().replace(b"/ToUnicode", b"/ToUnicodX")
    target = OUT / "garbled_font.pdf"
    target.write_bytes(garbled)
    print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
