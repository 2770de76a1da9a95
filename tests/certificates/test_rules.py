import pytest

from certificates.rules import CODE_ALPHABET, CODE_LENGTH, grouped, is_well_formed, new_code, normalise_code


def test_a_new_code_has_16_unambiguous_characters():
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == CODE_LENGTH and is_well_formed(code)
        assert not set(code) & set("01OIL")


@pytest.mark.parametrize(
    "typed",
    [
        "ABCD-EFGH-JKMN-PQRS",
        " abcd efgh jkmn pqrs ",
        "abcdefghjkmnpqrs",
        "ＡＢＣＤ－ＥＦＧＨ－ＪＫＭＮ－ＰＱＲＳ",  # full width, as a Chinese input method types it
        "ABCD\u2014EFGH\u2013JKMN PQRS",
    ],
)
def test_typed_codes_are_normalised(typed):
    assert normalise_code(typed) == "ABCDEFGHJKMNPQRS"


@pytest.mark.parametrize("code", ["", "ABCDEFGHJKMNPQR", "ABCDEFGHJKMNPQRST", "ABCDEFGHJKMNPQR0", "ABCDEFGHJKMNPQR/"])
def test_malformed_codes_are_recognised(code):
    assert not is_well_formed(code)


def test_grouped_code_reads_in_fours():
    assert grouped("ABCDEFGHJKMNPQRS") == "ABCD-EFGH-JKMN-PQRS"
    assert len(CODE_ALPHABET) == 30
