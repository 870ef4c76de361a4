"""Which DejaVu fonts a certificate embeds: the Latin subsets when they cover its text, else the full fonts."""

import io

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from lms.certificates import pdf
from lms.certificates.fonts import make_subsets
from tests.certificates.conftest import UNICODE_NAME

LATIN = {"DejaVuSansLatinBook", "DejaVuSansLatinBold", "DejaVuSerifLatinBold"}
FULL = {"DejaVuSansBook", "DejaVuSansBold", "DejaVuSerifBold"}
VERIFY = "http://127.0.0.1:5000/verify/CASOM-0000-0000-0000"


def _render(certificate):
    page = PdfReader(io.BytesIO(pdf.render_certificate_pdf(certificate, VERIFY))).pages[0]
    fonts = {str(font.get_object()["/BaseFont"]).split("+", 1)[1] for font in page["/Resources"]["/Font"].values()}
    return fonts, page.extract_text()


@pytest.mark.parametrize("name", [UNICODE_NAME, "Dana Whitfield", "Nguyễn Thị Minh Khai", "Wíyakha Wašté Čhaŋté"])
def test_a_latin_name_embeds_the_latin_subsets_and_extracts_unchanged(completed, name):
    _user, certificate = completed(name=name)
    fonts, text = _render(certificate)
    assert fonts == LATIN
    assert name in text and certificate.display_code in text and "Fixture Course" in text


@pytest.mark.parametrize("name", ["Ελένη Παπαδοπούλου", "Анна Сергеевна", "Ŋoah Ελένη"])
def test_a_greek_or_cyrillic_name_embeds_the_full_fonts_and_extracts_unchanged(completed, name):
    _user, certificate = completed(name=name)
    fonts, text = _render(certificate)
    assert fonts == FULL
    assert name in text and certificate.display_code in text


@pytest.mark.parametrize("field", ["curriculum_title", "cohort_name", "trainer_names"])
def test_any_drawn_text_outside_the_subsets_brings_the_full_fonts(completed, field):
    _user, certificate = completed(name="Dana Whitfield")
    setattr(certificate, field, "Иван Петров")
    fonts, text = _render(certificate)
    assert fonts == FULL and "Иван Петров" in text


def test_line_breaks_do_not_count_and_characters_dejavu_lacks_keep_todays_full_fonts():
    assert pdf.font_files("Dana\nWhitfield")[("Sans", "B")].name == "DejaVuSansLatin-Bold.ttf"
    assert pdf.font_files("ᏣᎳᎩ")[("Sans", "B")].name == "DejaVuSans-Bold.ttf"  # Cherokee: in neither


@pytest.mark.parametrize("full_name", make_subsets.FULL_FONTS)
def test_each_subset_has_exactly_the_declared_ranges_of_its_full_font(full_name):
    full = pdf._code_points(make_subsets.FOLDER / full_name)
    subset = pdf._code_points(make_subsets.FOLDER / make_subsets.subset_file_name(full_name))
    assert subset == full & make_subsets.code_points()
    assert {ord(char) for char in "ŊʼéØ"} <= subset


@pytest.mark.parametrize("full_name", make_subsets.FULL_FONTS)
def test_committed_subsets_are_exactly_what_the_script_makes(full_name):
    committed = (make_subsets.FOLDER / make_subsets.subset_file_name(full_name)).read_bytes()
    assert committed == make_subsets.make_subset(make_subsets.FOLDER / full_name), (
        "run .venv/bin/python -m lms.certificates.fonts.make_subsets and commit the fonts")


@pytest.mark.parametrize("full_name", make_subsets.FULL_FONTS)
def test_subsets_are_renamed_as_the_licence_requires_and_keep_its_notices(full_name):
    with TTFont(make_subsets.FOLDER / make_subsets.subset_file_name(full_name)) as font:
        names = font["name"]
    for name_id in make_subsets.RENAMED_NAME_IDS:
        name = names.getDebugName(name_id)
        assert "Latin" in name and "Bitstream" not in name and "Vera" not in name
    assert "Bitstream" in names.getDebugName(0) and "Bitstream Vera" in names.getDebugName(13)


def test_the_pdf_module_and_the_script_name_the_same_files():
    assert sorted(pdf.FULL_FONTS.values()) == sorted(make_subsets.FULL_FONTS)
    assert sorted(pdf.LATIN_FONTS.values()) == sorted(map(make_subsets.subset_file_name, make_subsets.FULL_FONTS))
