"""index/marks.py: syllables compared with their marks, the tone wherever it sits. Words invented for this test."""
from kehoach.index.marks import holds, key, keys_of, marked_forms


def test_tone_on_either_vowel_is_one_syllable():
    assert key("hoà") == key("hòa") and key("Thuỷ") == key("thủy")


def test_words_that_fold_alike_differ_with_marks():
    assert key("hoa") != key("hóa") and key("lễ") != key("lề") and key("đơn") != key("dơn")


def test_only_marked_syllables_constrain():
    forms = marked_forms("lễ hội pháo hoa")
    assert set(forms) == {"le", "hoi", "phao"}      # "hoa" typed without marks: any "hoa" will do
    assert forms["le"] <= keys_of("Lễ khai mạc") and not forms["le"] & keys_of("lòng lề đường")


def test_a_text_typed_without_marks_holds_any_form():
    forms = marked_forms("lễ hội")["le"]
    assert holds("to chuc le hoi mua xuan", "le", forms)
    assert holds("Tổ chức Lễ hội", "le", forms) and not holds("lòng lề đường", "le", forms)
