#!/usr/bin/env python3
"""Typesets the sample contracts (*.txt) a second way, with reportlab
(`pip install reportlab`), for the extraction fidelity test (tests/it/fidelity.rs).

typst (scripts/make_sample_pdfs.py) writes CID fonts and TJ arrays; reportlab
writes standard Type 1 fonts and Tj strings, justified text (variable word
spacing), a running header and a "Page N of M" footer. The PDFs are committed
to tests/fixtures/fidelity/reportlab/; tests never need Python.
Run: python3 scripts/make_reportlab_pdfs.py
"""
import pathlib
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

ROOT = pathlib.Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "contracts_samples"
OUT = ROOT / "tests" / "fixtures" / "fidelity" / "reportlab"

BODY = ParagraphStyle("body", fontName="Times-Roman", fontSize=10.5, leading=13.5, alignment=TA_JUSTIFY, spaceAfter=6)
HEAD = ParagraphStyle("head", fontName="Times-Bold", fontSize=11, leading=14, spaceBefore=6, spaceAfter=4)


def is_heading(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(line.split()) <= 12


def flow(text: str) -> list:
    out = []
    for block in text.split("\n\n"):
        for line in (l.strip() for l in block.strip().split("\n")):
            if line:
                out.append(Paragraph(escape(line), HEAD if is_heading(line) else BODY))
        out.append(Spacer(1, 4))
    return out


def render(txt: pathlib.Path) -> None:
    text = txt.read_text(encoding="utf-8")
    title = next((l for l in text.split("\n") if l.strip()), txt.stem).strip()
    out = OUT / f"{txt.stem}.pdf"
    total = 0
    # Two passes: the first counts the pages for "Page N of M".
    for _ in range(2):
        def furniture(canvas, doc):
            canvas.saveState()
            canvas.setFont("Times-Italic", 8.5)
            canvas.drawString(inch, LETTER[1] - 0.6 * inch, f"{title.title()} - Confidential")
            canvas.drawRightString(LETTER[0] - inch, 0.6 * inch, f"Page {doc.page} of {total}")
            canvas.restoreState()

        doc = SimpleDocTemplate(str(out), pagesize=LETTER, leftMargin=inch, rightMargin=inch, topMargin=inch,
                                bottomMargin=inch, title=title, author="redflag samples", invariant=1)
        doc.build(flow(text), onFirstPage=furniture, onLaterPages=furniture)
        total = doc.page


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for txt in sorted(SAMPLES.glob("*.txt")):
        render(txt)
        print(OUT / f"{txt.stem}.pdf")
