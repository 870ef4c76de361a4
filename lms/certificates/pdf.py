"""The certificate as a one-page landscape Letter PDF, with an embedded Unicode font and a QR code.

The fonts are DejaVu, shipped in fonts/. Parsing a full DejaVu file is most of a certificate's
time, so a document whose every character is in the Latin subsets (fonts/make_subsets.py: Latin
letters with their diacritics, modifier letters, punctuation) embeds those; any other text (Greek,
Cyrillic, ...) gets the full fonts, so no name renders worse than with the full fonts alone.
"""

import io
from functools import lru_cache
from pathlib import Path

import segno
from fontTools.ttLib import TTFont
from fpdf import FPDF

from lms.learning.models import TRACK_LABELS

FONTS = Path(__file__).parent / "fonts"
FULL_FONTS = {("Sans", ""): "DejaVuSans.ttf", ("Sans", "B"): "DejaVuSans-Bold.ttf",
              ("Serif", "B"): "DejaVuSerif-Bold.ttf"}
LATIN_FONTS = {("Sans", ""): "DejaVuSansLatin.ttf", ("Sans", "B"): "DejaVuSansLatin-Bold.ttf",
               ("Serif", "B"): "DejaVuSerifLatin-Bold.ttf"}
NOT_DRAWN = {ord("\n")}  # line breaks are layout, not glyphs
SEPARATOR = "     ·     "
INK = (27, 31, 36)
BRAND = (11, 79, 113)
MUTED = (74, 85, 96)


@lru_cache(maxsize=1)
def _latin_coverage():
    """The code points every Latin subset has (the Serif one has a few fewer than the Sans ones)."""
    return frozenset.intersection(*(_code_points(FONTS / name) for name in LATIN_FONTS.values()))


def _code_points(path):
    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def font_files(text):
    """{(family, style): path} to embed for a document drawing `text`: the Latin subsets if they
    have every character of it, the full fonts otherwise."""
    chosen = LATIN_FONTS if {ord(char) for char in text} - NOT_DRAWN <= _latin_coverage() else FULL_FONTS
    return {key: FONTS / name for key, name in chosen.items()}


def qr_png(url):
    """A QR code of `url` as PNG bytes (error correction M, quiet zone included)."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()


def render_certificate_pdf(certificate, verify_url):
    """PDF bytes for `certificate`; `verify_url` is the public page the QR code points to."""
    wording = _wording(certificate, verify_url)
    pdf = _document(certificate, font_files("".join(wording.values())))
    pdf.add_page()
    _frame(pdf)
    _body(pdf, wording)
    _footer(pdf, wording, verify_url)
    return bytes(pdf.output())


def _wording(certificate, verify_url):
    """Every text the certificate draws, by place (the font choice checks all of it)."""
    details = [
        f"Track: {TRACK_LABELS.get(certificate.track, certificate.track)}",
        f"Completed: {certificate.completed_at:%B %-d, %Y}",
        f"Credit hours: {float(certificate.credit_hours):g}",
    ]
    delivery = []
    if certificate.cohort_name:
        delivery.append(f"Cohort: {certificate.cohort_name}")
    if certificate.trainer_names:
        delivery.append(f"Trainer: {certificate.trainer_names}")
    return {
        "programme": "Comprehensive Approaches to Sex Offender Management",
        "heading": "Certificate of Completion",
        "certifies": "This certifies that",
        "name": certificate.learner_name,
        "completed": "completed Day 1 and Day 2 of",
        "curriculum": certificate.curriculum_title,
        "details": SEPARATOR.join(details),
        "delivery": SEPARATOR.join(delivery),
        "code": f"Certificate code: {certificate.display_code}",
        "verify": f"Verify this certificate at {verify_url}\nor scan the QR code.",
    }


def _document(certificate, fonts):
    pdf = FPDF(orientation="L", unit="mm", format="Letter")
    pdf.set_title(f"Certificate of completion: {certificate.learner_name}")
    pdf.set_author("CASOM LMS")
    pdf.set_creator("CASOM LMS")
    pdf.set_auto_page_break(False)
    for (family, style), path in fonts.items():
        pdf.add_font(family, style, str(path))
    return pdf


def _frame(pdf):
    pdf.set_draw_color(*BRAND)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_line_width(0.3)
    pdf.rect(13, 13, pdf.w - 26, pdf.h - 26)


def _centered(pdf, text, family, style, size, color, height, top=None):
    if top is not None:
        pdf.set_y(top)
    pdf.set_font(family, style, size)
    pdf.set_text_color(*color)
    pdf.set_x(20)
    pdf.multi_cell(pdf.w - 40, height, text, align="C")


def _body(pdf, wording):
    _centered(pdf, wording["programme"], "Sans", "", 12, MUTED, 7, top=26)
    _centered(pdf, wording["heading"], "Serif", "B", 30, BRAND, 14, top=36)
    _centered(pdf, wording["certifies"], "Sans", "", 13, MUTED, 8, top=58)
    _centered(pdf, wording["name"], "Sans", "B", 26, INK, 12, top=68)
    _centered(pdf, wording["completed"], "Sans", "", 13, MUTED, 8, top=86)
    _centered(pdf, wording["curriculum"], "Sans", "B", 15, INK, 8, top=95)
    _centered(pdf, wording["details"], "Sans", "", 11, INK, 7, top=pdf.get_y() + 6)
    if wording["delivery"]:
        _centered(pdf, wording["delivery"], "Sans", "", 11, INK, 7)


def _footer(pdf, wording, verify_url):
    size = 38
    left, top = pdf.w - 20 - size - 4, pdf.h - 20 - size - 4
    pdf.image(io.BytesIO(qr_png(verify_url)), x=left, y=top, w=size, h=size)
    pdf.set_xy(24, top + 6)
    pdf.set_font("Sans", "B", 13)
    pdf.set_text_color(*INK)
    pdf.cell(150, 7, wording["code"])
    pdf.set_xy(24, top + 15)
    pdf.set_font("Sans", "", 10)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(150, 5.5, wording["verify"])
