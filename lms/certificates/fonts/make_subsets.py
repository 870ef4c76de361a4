"""Make the Latin subsets of the DejaVu fonts that certificates embed when they cover the text.

    .venv/bin/python -m lms.certificates.fonts.make_subsets

Reads the full fonts in this folder and writes, beside each, a copy keeping only the characters of
RANGES (all of them the full font has; nothing else), with the same outlines, metrics and hinting.
lms/certificates/pdf.py embeds these (about 1,300 glyphs, 130 to 160 KB, instead of 3,400 to 5,900
glyphs, 0.36 to 0.76 MB) when every character a certificate draws is in them, and the full fonts
otherwise, so no name renders worse.

Reproducible: the same full fonts and the pinned fontTools (requirements.txt) give the same bytes;
tests/certificates/test_fonts.py checks that the committed files are exactly what this writes.
Run it again after changing RANGES or replacing a full font, and commit the .ttf files.

Licence (LICENSE-DejaVu.txt, the Bitstream Vera terms): the fonts "may be modified ... only if the
fonts are renamed to names not containing either the words 'Bitstream' or the word 'Vera'". The
subsets are renamed "DejaVu Sans Latin", "DejaVu Serif Latin" (family, full, PostScript and unique
names); the copyright and licence records (the licence record carries the trademark notice and
this permission notice), which must stay in every copy, are kept unchanged.
"""

import io
import re
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

FOLDER = Path(__file__).parent

# (first, last, block): the characters the subsets keep, the only place they are listed. The Latin
# script's precomposed letters (Lakota, Navajo, Vietnamese, Ŋ, Ø, é), the apostrophe-like modifier
# letters of many Native names (U+02BC, U+02BB), combining marks for decomposed input, punctuation.
RANGES = (
    (0x0020, 0x007E, "Basic Latin"),
    (0x00A0, 0x00FF, "Latin-1 Supplement"),
    (0x0100, 0x017F, "Latin Extended-A"),
    (0x0180, 0x024F, "Latin Extended-B"),
    (0x0250, 0x02AF, "IPA Extensions"),
    (0x02B0, 0x02FF, "Spacing Modifier Letters"),
    (0x0300, 0x036F, "Combining Diacritical Marks"),
    (0x1DC0, 0x1DFF, "Combining Diacritical Marks Supplement"),
    (0x1E00, 0x1EFF, "Latin Extended Additional"),
    (0x2000, 0x206F, "General Punctuation"),
    (0x2C60, 0x2C7F, "Latin Extended-C"),
    (0xA720, 0xA7FF, "Latin Extended-D"),
    (0xFB00, 0xFB06, "Latin ligatures (Alphabetic Presentation Forms)"),
)

FULL_FONTS = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSerif-Bold.ttf")
RENAMED_NAME_IDS = {1, 3, 4, 6, 16}  # family, unique, full, PostScript, typographic family
FORBIDDEN_IN_NAMES = ("Bitstream", "Vera")


def code_points():
    """Every code point of RANGES."""
    return {point for first, last, _block in RANGES for point in range(first, last + 1)}


def subset_file_name(full_file_name):
    """DejaVuSans-Bold.ttf -> DejaVuSansLatin-Bold.ttf."""
    return _renamed(full_file_name)


def _renamed(name):
    """Insert "Latin" after the family: "DejaVu Sans Bold" -> "DejaVu Sans Latin Bold"."""
    return re.sub(r"DejaVu( ?)(Sans|Serif)", r"DejaVu\1\2\1Latin", name)


def make_subset(full_path):
    """The subset of the font at `full_path` as .ttf bytes."""
    font = TTFont(full_path, recalcTimestamp=False)
    options = subset.Options(
        name_IDs=["*"], name_languages=["*"], name_legacy=True,  # keep every notice, on every platform
        notdef_outline=True, recalc_timestamp=False,
        glyph_names=True,  # 12 KB more, but fpdf2 need not derive every glyph's name from the cmap
    )
    options.drop_tables += ["FFTM"]  # FontForge's time stamps; fontTools would drop it with a warning
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=code_points())
    subsetter.subset(font)
    _rename(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def _rename(font):
    for record in font["name"].names:
        if record.nameID in RENAMED_NAME_IDS:
            name = _renamed(record.toUnicode())
            if any(word in name for word in FORBIDDEN_IN_NAMES):
                raise ValueError(f"a modified DejaVu font may not be named {name!r} (LICENSE-DejaVu.txt)")
            record.string = name


def main():
    for full_name in FULL_FONTS:
        target = FOLDER / subset_file_name(full_name)
        target.write_bytes(make_subset(FOLDER / full_name))
        print(f"{target.name}: {target.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
