"""Writes tests/fixtures/corrupt/quote_operators.pdf: a page whose body is drawn
with the ' (move to next line and show) operator, as Ghostscript and enscript
write it. pdf-extract drops such text; redflag must say the page read thinly.

    python3 scripts/make_thin_pdf.py
"""

lines = [
    "1. Recoupment. Plan may recover any overpayment at any time within",
    "thirty-six (36) months following the date of payment, by offset against",
    "future payments to Group. 2. Claims. Group shall submit each claim within",
    "sixty (60) days after the date of service. 3. Amendment. Plan may amend",
    "this Agreement by posting the amendment on its provider website.",
] * 4

body = ["BT", "/F1 10 Tf", "12 TL", "72 740 Td", "(PARTICIPATION AGREEMENT) Tj"]
for line in lines:
    body.append("(" + line.replace("(", "\\(").replace(")", "\\)") + ") '")
body.append("ET")
stream = "\n".join(body).encode("latin-1")

objects = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
]
out = bytearray(b"%PDF-1.4\n")
offsets = []
for i, body_bytes in enumerate(objects, 1):
    offsets.append(len(out))
    out += f"{i} 0 obj\n".encode() + body_bytes + b"\nendobj\n"
xref = len(out)
out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
for off in offsets:
    out += f"{off:010d} 00000 n \n".encode()
out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
with open("tests/fixtures/corrupt/quote_operators.pdf", "wb") as f:
    f.write(out)
