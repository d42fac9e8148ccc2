#!/usr/bin/env python3
"""Typesets the sample contracts (*.txt) as PDFs with typst (`pip install typst`).

Each PDF gets a running header and a "Page N of M" footer, as real agreements do,
so the extractor's header/footer removal is exercised. The PDFs are committed;
tests never need Python. Run: python3 scripts/make_sample_pdfs.py
"""
import pathlib
import re

import typst

HERE = pathlib.Path(__file__).resolve().parent.parent / "contracts_samples"


def escape(text: str) -> str:
    return re.sub(r'([\\#*_`$<>@\[\]~/])', r'\\\1', text)


def is_heading(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(line.split()) <= 12


def source(txt: pathlib.Path) -> str:
    lines = txt.read_text(encoding="utf-8").split("\n")
    title = next((l for l in lines if l.strip()), txt.stem)
    body = []
    for para in "\n".join(lines).split("\n\n"):
        para = para.strip()
        if not para:
            continue
        parts = para.split("\n")
        if all(is_heading(p) for p in parts):
            body.append("#align(center)[#strong[" + " \\ ".join(escape(p) for p in parts) + "]]\n")
        else:
            body.append(escape(" ".join(parts)) + "\n")
    header = escape(title.title())
    return f"""#set page(paper: "us-letter", margin: (x: 1in, y: 1in),
  header: align(right)[#text(size: 8pt)[{header} — Confidential]],
  footer: context align(center)[#text(size: 8pt)[Page #counter(page).display() of #counter(page).final().first()]])
#set text(font: "Libertinus Serif", size: 11pt)
#set par(justify: true, spacing: 1.1em)
""" + "\n".join(body)


def main() -> None:
    for txt in sorted(HERE.glob("*.txt")):
        pdf = txt.with_suffix(".pdf")
        src = HERE / (txt.stem + ".typ")
        src.write_text(source(txt), encoding="utf-8")
        try:
            pdf.write_bytes(typst.compile(str(src)))
        finally:
            src.unlink()
        print(f"wrote {pdf.name}")


if __name__ == "__main__":
    main()
