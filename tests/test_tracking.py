from desk import tracking
from desk.text import fa_digits


def test_new_codes_are_valid_12_digit_and_distinct():
    codes = {tracking.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        assert len(code) == 12 and code.isdigit() and code[0] != "0"
        assert tracking.is_valid(code)


def test_typed_forms_are_normalised():
    code = tracking.new_code()
    shown = tracking.format_code(code)
    assert shown == f"{code[:4]}-{code[4:8]}-{code[8:]}"
    assert tracking.normalize(shown) == code
    assert tracking.normalize(" " + fa_digits(shown) + " ") == code
    assert tracking.normalize(code[:6] + " " + code[6:]) == code
    assert tracking.normalize(code[:-1]) is None
    assert tracking.normalize("abc") is None
    assert not tracking.is_valid("0" + code[1:])


def test_every_single_digit_error_and_adjacent_swap_is_detected():
    for _ in range(300):
        code = tracking.new_code()
        for i in range(12):
            for d in "0123456789":
                if d != code[i]:
                    assert not tracking.is_valid(code[:i] + d + code[i + 1 :]), (code, i, d)
        for i in range(11):
            if code[i] != code[i + 1]:
                swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
                assert not tracking.is_valid(swapped), (code, i)
