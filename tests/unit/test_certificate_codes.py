import math

from lms.certificates import badge
from lms.certificates.codes import ALPHABET, CODE_LENGTH, format_code, new_code, normalize_code


def test_codes_carry_at_least_60_random_bits_in_crockford_base32():
    assert CODE_LENGTH * math.log2(len(ALPHABET)) >= 60
    assert not set("ILOU") & set(ALPHABET)
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000 and all(len(code) == 12 and set(code) <= set(ALPHABET) for code in codes)


def test_format_groups_for_reading_aloud():
    assert format_code("7KQ29XHDM4TB") == "CASOM-7KQ2-9XHD-M4TB"


def test_lookup_ignores_case_spaces_dashes_prefix_and_reads_o_i_l_as_digits():
    for typed in ("CASOM-7KQ2-9XHD-M4TB", "casom 7kq2 9xhd m4tb", "7KQ2-9XHD-M4TB", " 7kq29xhdm4tb "):
        assert normalize_code(typed) == "7KQ29XHDM4TB"
    assert normalize_code("CASOM-OKQ2-9XHD-M4TL") == "0KQ29XHDM4T1"
    for wrong in ("", None, "CASOM-7KQ2", "7KQ29XHDM4TU", "<script>", "7KQ29XHDM4TB7"):
        assert normalize_code(wrong) is None


def test_status_list_sets_exactly_the_revoked_bits_and_hides_its_size():
    encoded = badge.encoded_status_list([3, 8, 200000], 200000)
    assert encoded.startswith("u")
    assert [badge.is_revoked_in(encoded, i) for i in (2, 3, 4, 8, 9, 200000)] == [False, True, False, True, False, True]
    small = badge.encoded_status_list([], 5)
    assert not badge.is_revoked_in(small, badge.STATUS_LIST_MIN_BITS - 1)
