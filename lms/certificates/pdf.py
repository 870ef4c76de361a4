"""The certificate as a one-page landscape Letter PDF, with an embedded Unicode font and a QR code."""

import io
from functools import lru_cache
from pathlib import Path

import segno
from fpdf import FPDF

from lms.learning.models import TRACK_LABELS

FONTS = Path(__file__).parent / "fonts"
INK = (27, 31, 36)
BRAND = (11, 79, 113)
MUTED = (74, 85, 96)


@lru_cache(maxsize=1)
def _font_files():
    return {("Sans", ""): FONTS / "DejaVuSans.ttf", ("Sans", "B"): FONTS / "DejaVuSans-Bold.ttf",
            ("Serif", "B"): FONTS / "DejaVuSerif-Bold.ttf"}


def qr_png(url):
    """A QR code of `url` as PNG bytes (error correction M, quiet zone included)."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()


def render_certificate_pdf(certificate, verify_url):
    """PDF bytes for `certificate`; `verify_url` is the public page the QR code points to."""
    pdf = FPDF(orientation="L", unit="mm", format="Letter")
    pdf.set_title(f"Certificate of completion: {certificate.learner_name}")
    pdf.set_author("CASOM LMS")
    pdf.set_creator("CASOM LMS")
    pdf.set_auto_page_break(False)
    for (family, style), path in _font_files().items():
        pdf.add_font(family, style, str(path))
    pdf.add_page()
    _frame(pdf)
    _body(pdf, certificate)
    _footer(pdf, certificate, verify_url)
    return bytes(pdf.output())


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


def _body(pdf, certificate):
    _centered(pdf, "Comprehensive Approaches to Sex Offender Management", "Sans", "", 12, MUTED, 7, top=26)
    _centered(pdf, "Certificate of Completion", "Serif", "B", 30, BRAND, 14, top=36)
    _centered(pdf, "This certifies that", "Sans", "", 13, MUTED, 8, top=58)
    _centered(pdf, certificate.learner_name, "Sans", "B", 26, INK, 12, top=68)
    _centered(pdf, "completed Day 1 and Day 2 of", "Sans", "", 13, MUTED, 8, top=86)
    _centered(pdf, certificate.curriculum_title, "Sans", "B", 15, INK, 8, top=95)
    details = [
        f"Track: {TRACK_LABELS.get(certificate.track, certificate.track)}",
        f"Completed: {certificate.completed_at:%B %-d, %Y}",
        f"Credit hours: {float(certificate.credit_hours):g}",
    ]
    _centered(pdf, "     ·     ".join(details), "Sans", "", 11, INK, 7, top=pdf.get_y() + 6)
    delivery = []
    if certificate.cohort_name:
        delivery.append(f"Cohort: {certificate.cohort_name}")
    if certificate.trainer_names:
        delivery.append(f"Trainer: {certificate.trainer_names}")
    if delivery:
        _centered(pdf, "     ·     ".join(delivery), "Sans", "", 11, INK, 7)


def _footer(pdf, certificate, verify_url):
    size = 38
    left, top = pdf.w - 20 - size - 4, pdf.h - 20 - size - 4
    pdf.image(io.BytesIO(qr_png(verify_url)), x=left, y=top, w=size, h=size)
    pdf.set_xy(24, top + 6)
    pdf.set_font("Sans", "B", 13)
    pdf.set_text_color(*INK)
    pdf.cell(150, 7, f"Certificate code: {certificate.display_code}")
    pdf.set_xy(24, top + 15)
    pdf.set_font("Sans", "", 10)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(150, 5.5, f"Verify this certificate at {verify_url}\nor scan the QR code.")
