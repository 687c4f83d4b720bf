from datetime import date

import pytest

from desk import validators as v
from desk.text import fa_digits, normalize_digits, normalize_text
from desk.validators import ValidationError

ARABIC = str.maketrans("0123456789", "".join(chr(0x0660 + i) for i in range(10)))


def code_of(call, *args, **kwargs) -> str:
    with pytest.raises(ValidationError) as e:
        call(*args, **kwargs)
    return e.value.code


def test_digits_round_trip_and_invisible_marks():
    assert normalize_digits(" \u200f" + fa_digits("0912") + "123".translate(ARABIC) + "\u200c ") == "0912123"
    assert fa_digits("1404/02/15") == "\u06f1\u06f4\u06f0\u06f4/\u06f0\u06f2/\u06f1\u06f5"


def test_normalize_text_folds_arabic_letters_and_spaces():
    arabic = "\u0645\u064a\u0632  \u0643\u0627\u0631"  # Arabic yeh and kaf, double space
    persian = "\u0645\u06cc\u0632 \u06a9\u0627\u0631"
    assert normalize_text(arabic) == persian
    assert normalize_text("Tax\u200cClearance") == "tax clearance"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("0499370899", "0499370899"),
        (fa_digits("049-937089-9"), "0499370899"),
        ("1234567891", "1234567891"),
        ("12345679", "0012345679"),  # leading zeros dropped by the user
        ("012345679", "0012345679"),
    ],
)
def test_national_id_valid(raw, expected):
    assert v.national_id(raw) == expected


@pytest.mark.parametrize(
    "raw, code",
    [
        ("0499370898", "national-id-checksum"),
        ("1234567890", "national-id-checksum"),
        ("1111111111", "national-id-repeated"),  # passes the checksum, still refused
        ("0000000000", "national-id-repeated"),
        ("1234567", "national-id-format"),
        ("12345678901", "national-id-format"),
        ("04993708a9", "national-id-format"),
        ("", "national-id-format"),
    ],
)
def test_national_id_invalid(raw, code):
    assert code_of(v.national_id, raw) == code


@pytest.mark.parametrize(
    "raw",
    [
        "09121234567",
        "9121234567",
        "+989121234567",
        "00989121234567",
        "989121234567",
        "+98 912 123 4567",
        "0912-123-4567",
        fa_digits("09121234567"),
        "09121234567".translate(ARABIC),
        "+98 (0) 912 123 4567",
    ],
)
def test_mobile_spellings(raw):
    assert v.mobile(raw) == "09121234567"


@pytest.mark.parametrize("raw", ["0912123456", "091212345678", "08121234567", "02188776655", "+14155550100", "abc"])
def test_mobile_invalid(raw):
    assert code_of(v.mobile, raw) == "mobile-format"


def test_mobile_from_contact():
    assert v.mobile_from_contact("989121234567") == "09121234567"
    assert v.mobile_from_contact("+989351234567") == "09351234567"
    assert code_of(v.mobile_from_contact, "+14155550100") == "mobile-not-iranian"


def test_postal_code():
    assert v.postal_code(fa_digits("11936-53471")) == "1193653471"
    assert v.postal_code("1193653470") == "1193653470"  # 0 is fine in the second half
    assert code_of(v.postal_code, "0193653471") == "postal-code-invalid"
    assert code_of(v.postal_code, "1193253471") == "postal-code-invalid"  # 2 among the first five
    assert code_of(v.postal_code, "1111111111") == "postal-code-invalid"
    assert code_of(v.postal_code, "119365347") == "postal-code-format"


def test_number():
    assert v.number(fa_digits("12") + "\u066c" + fa_digits("500")) == 12500
    assert v.number("1,250,000") == 1250000
    assert v.number("12.0") == 12 and isinstance(v.number("12.0"), int)
    assert v.number(fa_digits("2") + "\u066b" + fa_digits("5"), integer=False) == 2.5
    assert v.number("-3", min=-5) == -3
    assert code_of(v.number, "2.5") == "number-not-integer"
    assert code_of(v.number, "abc") == "number-format"
    assert code_of(v.number, "1e5") == "number-format"
    with pytest.raises(ValidationError) as e:
        v.number("5", min=10)
    assert (e.value.code, e.value.params) == ("number-too-small", {"min": 10})
    assert code_of(v.number, "11", max=10) == "number-too-large"


def test_jalali_date():
    assert v.jalali_date("1403/5/12") == date(2024, 8, 2)
    assert v.jalali_date(fa_digits("1403-05-12")) == date(2024, 8, 2)
    assert v.jalali_date("1403/12/30") == date(2025, 3, 20)  # 1403 is a leap year
    assert v.jalali_date("1404/01/01") == date(2025, 3, 21)
    assert code_of(v.jalali_date, "1404/12/30") == "date-invalid"  # 1404 is not
    assert code_of(v.jalali_date, "1404/13/01") == "date-invalid"
    assert code_of(v.jalali_date, "1404/07/31") == "date-invalid"  # second-half months have 30 days
    assert code_of(v.jalali_date, "14040101") == "date-format"
    assert code_of(v.jalali_date, "1404/01/01", min=date(2025, 3, 22)) == "date-too-early"
    assert code_of(v.jalali_date, "1404/01/02", max=date(2025, 3, 21)) == "date-too-late"


def test_texts():
    assert v.short_text("  a \n  b  ", 10) == "a b"
    assert v.long_text("  line 1\nline 2  ", 100) == "line 1\nline 2"
    assert code_of(v.short_text, " \u200c \n ", 10) == "empty"
    assert code_of(v.long_text, "", 10) == "empty"
    with pytest.raises(ValidationError) as e:
        v.long_text("x" * 11, 10)
    assert (e.value.code, e.value.params) == ("too-long", {"max": 10, "length": 11})


def test_choices():
    assert v.choice("b", ["a", "b"]) == "b"
    assert code_of(v.choice, "c", ["a", "b"]) == "choice-invalid"
    assert v.multi_choice(["c", "a", "a"], ["a", "b", "c"], min=1) == ["a", "c"]
    assert code_of(v.multi_choice, ["x"], ["a"]) == "choice-invalid"
    assert code_of(v.multi_choice, [], ["a"], min=1) == "choice-too-few"
    assert code_of(v.multi_choice, ["a", "b"], ["a", "b"], max=1) == "choice-too-many"
