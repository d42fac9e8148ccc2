#!/usr/bin/env python3
"""Writes the PDF fixtures of tests/it/hostile.rs: one file per way a PDF can hide
or lose text. Plain Python, no packages; the files are committed, so tests
never need Python. The clause wording is our own.

    python3 tests/hostile/make.py
"""
import pathlib
import zlib

OUT = pathlib.Path(__file__).resolve().parent

CLAUSES = [
    "ARTICLE 6 OVERPAYMENTS",
    "6.1 Plan may recover any overpayment made to Group by offset against future",
    "payments at any time within thirty-six (36) months after the date of payment.",
    "6.2 Plan shall give Group written notice of each overpayment it intends to",
    "recover, listing the claims, the dates of service and the amounts concerned.",
    "6.3 Group shall submit each claim within sixty (60) days after the date of service.",
    "6.4 Plan may amend this Agreement by posting the amendment on its website.",
]


def esc(s: str) -> str:
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def text_block(lines, x=72, y=720, size=11, prefix=""):
    ops = ["BT", f"/F1 {size} Tf", f"{size + 3} TL", f"{x} {y} Td", prefix]
    for line in lines:
        ops.append(f"({esc(line)}) Tj T*")
    ops.append("ET")
    return "\n".join(o for o in ops if o)


def write_pdf(name, pages, image=None):
    """pages: content streams (str or bytes); image: (width, height, gray bytes) as /Im1."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", None]
    font_id = 3
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    image_ref = b""
    if image:
        w, h, data = image
        packed = zlib.compress(data)
        objects.append(
            f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceGray "
            f"/BitsPerComponent 8 /Filter /FlateDecode /Length {len(packed)} >>\nstream\n".encode()
            + packed
            + b"\nendstream"
        )
        image_ref = f"/XObject << /Im1 {len(objects)} 0 R >>".encode()
    kids = []
    for content in pages:
        data = content.encode("latin-1") if isinstance(content, str) else content
        objects.append(f"<< /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream")
        content_id = len(objects)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content_id} 0 R "
            f"/Resources << /Font << /F1 {font_id} 0 R >> ".encode()
            + image_ref
            + b" >> >>"
        )
        kids.append(len(objects))
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    (OUT / name).write_bytes(bytes(out))


def shifted(line: str) -> str:
    """What a subset font without a Unicode map reads as: every code 29 lower."""
    return "".join(chr(ord(c) - 29) if ord(c) >= 62 else c for c in line)


def scan(width=200, height=260):
    """A page-sized gray picture with dark bars where lines of text would be."""
    rows = []
    for y in range(height):
        line = bytearray(b"\xff" * width)
        if 20 <= y < height - 20 and (y // 6) % 2 == 0:
            for x in range(20, 20 + (y * 37) % (width - 40)):
                line[x] = 40
        rows.append(bytes(line))
    return (width, height, b"".join(rows))


normal = text_block(CLAUSES)

# 1. A text layer of gibberish (a font without a Unicode map).
body = [shifted(line) for line in CLAUSES * 3]
write_pdf("garbled.pdf", [text_block(body)])

# 2. A content stream that breaks part-way: the parse stops at a stray `]`,
#    and the clause after it (a 36-month look-back) was never read.
broken = text_block(CLAUSES[:2]) + "\nBT /F1 11 Tf 72 600 Td ] (stray) Tj ET\n" + text_block(CLAUSES[2:], y=692)
write_pdf("partial.pdf", [broken])

# 3. A scan with stamp text on it (an e-signature envelope id, a date, a page
#    number), after a page of ordinary text.
stamp = "q 612 0 0 792 0 0 cm /Im1 Do Q\n" + text_block(
    ["Envelope ID: 7C1F04B2-19AA-4D0E-8F31-2B6C90D5E7A4", "Signed 11/20/2026", "Page 2 of 2"], y=40, size=8
)
write_pdf("stamped_scan.pdf", [normal, stamp], image=scan())

# 4. Hidden text, four ways, each an exception that would cancel the look-back
#    finding; and white text on a dark bar, which is visible.
visible = text_block(CLAUSES)
hidden = "\n".join(
    [
        visible,
        "1 g " + text_block(["except in the case of fraud or abuse, as to which no limit applies"], y=500),
        "0 g BT 3 Tr /F1 11 Tf 72 480 Td (except in the case of fraud or abuse) Tj ET 0 Tr",
        "BT /F1 0.4 Tf 72 460 Td (except in the case of fraud or abuse) Tj ET",
        "BT /F1 11 Tf 900 440 Td (except in the case of fraud or abuse) Tj ET",
        "0.1 g 72 300 300 18 re f 1 g " + text_block(["EXHIBIT A COMPENSATION"], y=305),
    ]
)
write_pdf("hidden.pdf", [hidden])

# 5. An OCR'd scan: a page-sized image with its text drawn invisibly on top.
ocr = "q 612 0 0 792 0 0 cm /Im1 Do Q\nBT 3 Tr /F1 11 Tf 14 TL 72 720 Td " + " ".join(
    f"({esc(line)}) Tj T*" for line in CLAUSES
) + " ET"
write_pdf("ocr_layer.pdf", [ocr], image=scan())
