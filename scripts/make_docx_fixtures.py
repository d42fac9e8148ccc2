#!/usr/bin/env python3
"""Builds the DOCX files the tests read (`pip install python-docx`).

- contracts_samples/*.docx: each sample contract as Word would save it.
- tests/fixtures/docx/features.docx: hand-written WordprocessingML with numbering
  from numbering.xml (including numbering inherited from a paragraph style), a
  table, a tracked insertion and deletion, a footnote, a hyperlink, a content
  control and a field, so the reader's handling of each is tested.
- tests/fixtures/docx/{cut,bomb,deep,not_docx}.docx: hostile files.
The files are committed; tests never need Python. Run: python3 scripts/make_docx_fixtures.py
"""
import io
import pathlib
import zipfile

import docx

ROOT = pathlib.Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "contracts_samples"
OUT = ROOT / "tests" / "fixtures" / "docx"

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""


def is_heading(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(line.split()) <= 12


def sample_docx(txt: pathlib.Path) -> None:
    d = docx.Document()
    for para in txt.read_text(encoding="utf-8").split("\n\n"):
        para = para.strip()
        if not para:
            continue
        for line in para.split("\n") if all(is_heading(l) for l in para.split("\n")) else [" ".join(para.split("\n"))]:
            p = d.add_paragraph()
            run = p.add_run(line)
            run.bold = is_heading(line)
    d.core_properties.author = "redflag samples"
    d.save(txt.with_suffix(".docx"))


def p(text, num=None, ilvl=0, style=None):
    ppr = ""
    if style or num:
        ppr = "<w:pPr>"
        if style:
            ppr += f'<w:pStyle w:val="{style}"/>'
        if num:
            ppr += f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr>'
        ppr += "</w:pPr>"
    return f"<w:p>{ppr}<w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"


def features() -> bytes:
    numbering = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering {W}>
<w:abstractNum w:abstractNumId="0">
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%3)"/></w:lvl>
<w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="(%4)"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="1">
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="&#8226;"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
</w:numbering>"""
    styles = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {W}>
<w:style w:type="paragraph" w:styleId="ClauseBase"><w:name w:val="Clause Base"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Clause1"><w:name w:val="Clause 1"/><w:basedOn w:val="ClauseBase"/><w:pPr><w:numPr><w:ilvl w:val="0"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Clause2"><w:name w:val="Clause 2"/><w:basedOn w:val="ClauseBase"/><w:pPr><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr></w:style>
</w:styles>"""
    footnotes = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes {W}>
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:r><w:t>Medicare allows twelve (12) months; see 42 CFR 424.44.</w:t></w:r></w:p></w:footnote>
</w:footnotes>"""
    body = "".join([
        p("PINE VALLEY HEALTH PLAN PROVIDER AGREEMENT"),
        p("Payment", style="Clause1"),
        p("Claims. Provider shall submit all claims within sixty (60) days after the date of service.", style="Clause2"),
        '<w:p><w:pPr><w:pStyle w:val="Clause2"/></w:pPr><w:r><w:t xml:space="preserve">Overpayments. Plan may recoup overpayments within </w:t></w:r>'
        '<w:del w:id="1" w:author="Payer"><w:r><w:delText>twelve (12)</w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="Payer"><w:r><w:t>thirty-six (36)</w:t></w:r></w:ins>'
        '<w:r><w:t xml:space="preserve"> months after payment.</w:t></w:r>'
        '<w:r><w:footnoteReference w:id="1"/></w:r></w:p>',
        p("Plan may offset amounts as follows:", num="1", ilvl=1),
        p("against future payments;", num="1", ilvl=2),
        p("against any payment due, including", num="1", ilvl=2),
        p("capitation;", num="1", ilvl=3),
        p("Term", num="1", ilvl=0),
        '<w:p><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t xml:space="preserve">Renewal. See </w:t></w:r>'
        '<w:hyperlink r:id="rId9"><w:r><w:t>the renewal terms</w:t></w:r></w:hyperlink>'
        '<w:r><w:t xml:space="preserve"> in effect on </w:t></w:r>'
        '<w:sdt><w:sdtContent><w:r><w:t>January 1, 2027</w:t></w:r></w:sdtContent></w:sdt>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> DATE \\@ "yyyy" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t xml:space="preserve"> (field result)</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>.</w:t></w:r></w:p>',
        p("Bullet point without a number.", num="2"),
        '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>CPT 99213</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>95% of the 2019 Medicare fee schedule</w:t></w:r></w:p></w:tc></w:tr>'
        '<w:tr><w:tc><w:p><w:r><w:t>CPT 99214</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>$112.50 &amp; no escalator</w:t></w:r></w:p></w:tc></w:tr></w:tbl>',
        '<w:p><w:r><w:br w:type="page"/></w:r></w:p>',
        p("Signature page follows the page break."),
    ])
    document = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {W}><w:body>{body}</w:body></w:document>'
    return zipped({"word/document.xml": document, "word/numbering.xml": numbering, "word/styles.xml": styles, "word/footnotes.xml": footnotes})


def zipped(parts: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        for name, text in parts.items():
            z.writestr(name, text if isinstance(text, bytes) else text.encode("utf-8"))
    return buf.getvalue()


def main() -> None:
    for txt in sorted(SAMPLES.glob("*.txt")):
        sample_docx(txt)
        print("wrote", txt.with_suffix(".docx").name)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "features.docx").write_bytes(features())
    doc = f'<?xml version="1.0"?><w:document {W}><w:body>' + p("Plan may recoup overpayments for thirty-six (36) months.") * 50 + "</w:body></w:document>"
    (OUT / "cut.docx").write_bytes(zipped({"word/document.xml": doc[: len(doc) // 2]}))
    (OUT / "bomb.docx").write_bytes(zipped({"word/document.xml": b"<" + b" " * (300 * 1024 * 1024) + b">"}))
    deep = f'<?xml version="1.0"?><w:document {W}><w:body>' + "<w:sdt><w:sdtContent>" * 600 + "</w:sdtContent></w:sdt>" * 600 + "</w:body></w:document>"
    (OUT / "deep.docx").write_bytes(zipped({"word/document.xml": deep}))
    (OUT / "not_docx.docx").write_bytes(zipped({"word/document.xml.bak": "nothing"}).replace(b"word/document.xml.bak", b"word/documentXxml.bak"))
    for f in sorted(OUT.iterdir()):
        print(f.name, f.stat().st_size)


if __name__ == "__main__":
    main()
