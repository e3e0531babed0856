"""The word forms behind the database backend (search/text.py)."""

from search import text


def shares_a_form(one, other):
    return bool(set(text.forms(text.words(one)[0])) & set(text.forms(text.words(other)[0])))


def test_dutch_and_english_word_forms_meet():
    assert shares_a_form("samenwerken", "samenwerking")  # Dutch stem "samenwerk"
    assert shares_a_form("publishing", "published")  # English stem "publish"
    assert shares_a_form("organisaties", "organisatie")
    assert not shares_a_form("fiets", "auto")


def test_accents_and_case_fold():
    assert text.words("Reünie CAFÉ naïef") == ["reunie", "cafe", "naief"]
    assert shares_a_form("reünie", "reunie")


def test_letters_without_a_decomposition_fold_as_elasticsearch_folds_them():
    assert text.words("Yılmaz Søren Æble Łódź") == ["yilmaz", "soren", "aeble", "lodz"]


def test_only_letters_and_digits_reach_the_terms():
    assert text.words('"a" * (b): OR -c_d 3.5 <x>') == ["a", "b", "or", "c", "d", "3", "5", "x"]
    for term in text.terms('l\'été "quoted" back\\slash tab\tnew\nline').split():
        assert term.isalnum()


def test_a_query_is_a_bounded_list_of_or_groups():
    groups = text.query_groups("samenwerken samenwerken publishing")
    assert groups == [text.forms("samenwerken"), text.forms("publishing")]
    assert len(text.query_groups(" ".join(f"woord{n}" for n in range(50)))) == text.MAX_QUERY_WORDS
