"""Decision trees as plain data: every kind of mistake is found and names its step; walks never
raise, whatever the trail."""

import pytest
from django.utils import translation

from demo.loader import licence_chooser_steps
from toolbox.decisions import tree as decision_tree
from toolbox.decisions.tree import Tree, problems, walk


def question(key, text, *answers, help_text=""):
    return {
        "type": "question",
        "value": {
            "key": key,
            "question": text,
            "help": help_text,
            "answers": [{"label": label, "next": target} for label, target in answers],
        },
    }


def outcome(key, title, advice="<p>Advies.</p>"):
    return {"type": "outcome", "value": {"key": key, "title": title, "advice": advice}}


def sound_tree():
    return Tree.from_raw(
        [
            question("soort", "Wat publiceer je?", ("Software", "delen"), ("Data", "cc0")),
            question("delen", "Moeten wijzigingen gedeeld worden?", ("Ja", "eupl"), ("Nee", "mit")),
            outcome("eupl", "Kies de EUPL-1.2"),
            outcome("mit", "Kies MIT"),
            outcome("cc0", "Kies CC0"),
        ]
    )


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def only(found, code):
    matching = [problem for problem in found if problem.code == code]
    assert matching, f"no {code!r} problem in {[str(p) for p in found]}"
    return matching


# --- problems ---------------------------------------------------------------------------------


def test_sound_tree_has_no_problems():
    tree = sound_tree()
    assert problems(tree) == []
    assert tree.first.key == "soort"
    assert [step.key for step in tree.outcomes] == ["eupl", "mit", "cc0"]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_licence_chooser_is_sound_and_reaches_every_outcome(language):
    tree = Tree.from_raw(licence_chooser_steps(language))
    assert problems(tree) == []
    outcomes = {step.key for step in tree.outcomes}
    assert {"eupl", "agpl", "gpl", "mpl", "apache", "mit", "cc0", "cc-by"} <= outcomes
    reached = set()
    # Every answer sequence, breadth first: all outcomes are somewhere at the end of a trail.
    pending = [()]
    while pending:
        trail = pending.pop()
        result = walk(tree, trail)
        assert result.ok, result.error
        if result.outcome:
            reached.add(result.outcome.key)
        else:
            pending.extend((*trail, n) for n in range(len(result.question.answers)))
    assert reached == outcomes


def test_licence_chooser_languages_share_their_structure():
    dutch = Tree.from_raw(licence_chooser_steps("nl"))
    english = Tree.from_raw(licence_chooser_steps("en"))
    assert [s.key for s in dutch.steps] == [s.key for s in english.steps]
    assert dutch.first.text == "Wat wil je publiceren?"
    assert english.first.text == "What do you want to publish?"
    assert walk(dutch, "0.2.0.0").outcome.key == walk(english, "0.2.0.0").outcome.key == "eupl"


def test_no_steps_at_all():
    found = problems(Tree.from_raw([]))
    assert [p.code for p in found] == ["empty"]
    assert "no steps" in found[0].message


def test_only_outcomes_has_no_question_to_start_with():
    found = problems(Tree.from_raw([outcome("eupl", "Kies de EUPL")]))
    assert only(found, "no_question")


def test_duplicate_key_names_both_steps():
    tree = Tree.from_raw(
        [
            question("soort", "Wat publiceer je?", ("Software", "eupl")),
            outcome("eupl", "Kies de EUPL-1.2"),
            outcome("eupl", "Kies toch iets anders"),
        ]
    )
    (problem,) = only(problems(tree), "duplicate_key")
    assert problem.key == "eupl"
    assert problem.index == 2
    assert "Kies de EUPL-1.2" in problem.message and "Kies toch iets anders" in problem.message


def test_missing_key_names_the_step_by_its_position_and_question():
    tree = Tree.from_raw(
        [
            question("soort", "Wat publiceer je?", ("Software", "eupl")),
            outcome("eupl", "Kies de EUPL-1.2"),
            question("", "Zonder sleutel?", ("Ja", "eupl")),
        ]
    )
    (problem,) = only(problems(tree), "no_key")
    assert problem.index == 2
    assert "Step 3" in problem.message and "Zonder sleutel?" in problem.message


def test_answer_to_unknown_key_names_question_answer_and_key():
    tree = Tree.from_raw(
        [
            question("soort", "Wat publiceer je?", ("Software", "eupl"), ("Data", "open-data")),
            outcome("eupl", "Kies de EUPL-1.2"),
        ]
    )
    (problem,) = only(problems(tree), "unknown_target")
    assert problem.key == "soort"
    assert "“soort”" in problem.message
    assert "Wat publiceer je?" in problem.message
    assert "“Data”" in problem.message and "“open-data”" in problem.message


def test_question_without_answers_is_a_dead_end():
    tree = Tree.from_raw(
        [
            question("soort", "Wat publiceer je?", ("Software", "delen")),
            question("delen", "Moeten wijzigingen gedeeld worden?"),
        ]
    )
    (problem,) = only(problems(tree), "no_answers")
    assert problem.key == "delen"
    assert "Dead end" in problem.message
    assert "“delen” (Moeten wijzigingen gedeeld worden?)" in problem.message


def test_answer_without_target_is_a_dead_end():
    tree = Tree.from_raw(
        [
            question("soort", "Wat publiceer je?", ("Software", "eupl"), ("Data", "")),
            outcome("eupl", "Kies de EUPL-1.2"),
        ]
    )
    (problem,) = only(problems(tree), "no_target")
    assert problem.key == "soort" and problem.index == 0
    assert "Dead end" in problem.message and "“Data”" in problem.message


def test_cycle_names_the_step_where_it_closes_and_the_path():
    tree = Tree.from_raw(
        [
            question("a", "Eerste vraag?", ("Verder", "b")),
            question("b", "Tweede vraag?", ("Verder", "c"), ("Klaar", "eupl")),
            question("c", "Derde vraag?", ("Terug", "a"), ("Klaar", "eupl")),
            outcome("eupl", "Kies de EUPL-1.2"),
        ]
    )
    (problem,) = only(problems(tree), "cycle")
    assert problem.key == "c" and problem.index == 2
    assert "“c” (Derde vraag?)" in problem.message
    assert "a → b → c → a" in problem.message
    assert "“Terug”" in problem.message


def test_question_answering_itself_is_a_cycle():
    tree = Tree.from_raw(
        [
            question("a", "Nog eens?", ("Ja", "a"), ("Nee", "eupl")),
            outcome("eupl", "Kies de EUPL-1.2"),
        ]
    )
    (problem,) = only(problems(tree), "cycle")
    assert problem.key == "a"
    assert "a → a" in problem.message


def test_two_separate_loops_are_both_reported():
    tree = Tree.from_raw(
        [
            question("a", "A?", ("naar b", "b"), ("naar c", "c")),
            question("b", "B?", ("terug", "a")),
            question("c", "C?", ("rondje", "d")),
            question("d", "D?", ("terug", "c")),
        ]
    )
    cycles = only(problems(tree), "cycle")
    assert sorted(p.key for p in cycles) == ["b", "d"]
    assert any("a → b → a" in p.message for p in cycles)
    assert any("c → d → c" in p.message for p in cycles)


def test_unreachable_question_and_outcome_are_named():
    tree = Tree.from_raw(
        [
            question("soort", "Wat publiceer je?", ("Software", "eupl")),
            outcome("eupl", "Kies de EUPL-1.2"),
            question("vergeten", "Vergeten vraag?", ("Ja", "cc0")),
            outcome("cc0", "Kies CC0"),
            outcome("wees", "Niemand komt hier"),
        ]
    )
    found = only(problems(tree), "unreachable")
    # cc0 is reached from an unreachable question only: it is unreachable too.
    assert {p.key for p in found} == {"vergeten", "cc0", "wees"}
    messages = " ".join(p.message for p in found)
    assert "“vergeten” (Vergeten vraag?)" in messages
    assert "“wees” (Niemand komt hier)" in messages


def test_outcome_reached_only_from_an_unreachable_question_is_unreachable():
    tree = Tree.from_raw(
        [
            question("soort", "Wat publiceer je?", ("Software", "eupl")),
            outcome("eupl", "Kies de EUPL-1.2"),
            question("vergeten", "Vergeten vraag?", ("Ja", "cc0")),
            outcome("cc0", "Kies CC0"),
        ]
    )
    assert {p.key for p in only(problems(tree), "unreachable")} == {"vergeten", "cc0"}


def test_messages_are_translated_to_dutch():
    tree = Tree.from_raw([question("a", "Nog eens?", ("Ja", "a"))])
    with translation.override("nl"):
        dutch = problems(tree)
    english = problems(tree)
    assert [p.code for p in dutch] == [p.code for p in english] == ["cycle"]
    # Both name the step; the Dutch text is whatever the catalogue says (or the English msgid).
    assert "“a” (Nog eens?)" in dutch[0].message and "a → a" in dutch[0].message


# --- walking ----------------------------------------------------------------------------------


def test_empty_trail_is_the_first_question():
    result = walk(sound_tree(), "")
    assert result.ok
    assert result.question.key == "soort"
    assert result.outcome is None
    assert result.answers == []
    assert walk(sound_tree(), None).question.key == "soort"


def test_walk_to_a_question_lists_the_answers_so_far():
    result = walk(sound_tree(), "0")
    assert result.ok
    assert result.question.key == "delen"
    assert [(q.key, a.label) for q, a in result.answers] == [("soort", "Software")]
    assert result.trail == (0,)
    assert result.trail_with(1) == "0.1"
    assert result.trail_to(0) == ""


def test_walk_to_an_outcome():
    result = walk(sound_tree(), "0.0")
    assert result.ok
    assert result.question is None
    assert result.outcome.key == "eupl"
    assert result.current is result.outcome
    assert [(q.key, a.label) for q, a in result.answers] == [("soort", "Software"), ("delen", "Ja")]
    assert walk(sound_tree(), (1,)).outcome.key == "cc0"


@pytest.mark.parametrize(
    ("trail", "fragment"),
    [
        ("abc", "damaged"),
        ("0.x", "damaged"),
        ("0..1", "damaged"),
        ("-1", "damaged"),
        ("0.1 ; drop", "damaged"),
        ("1e3", "damaged"),
        ("0." * 300 + "0", "damaged"),
        ("7", "does not have"),
        ("0.2", "does not have"),
        ("0.0.0", "after the advice"),
        ("1.0", "after the advice"),
        ("99999", "damaged"),
    ],
)
def test_malformed_trail_is_reported_not_raised(trail, fragment):
    result = walk(sound_tree(), trail)
    assert not result.ok
    assert fragment in result.error


def test_out_of_range_answer_keeps_the_answers_that_worked():
    result = walk(sound_tree(), "0.5")
    assert not result.ok
    assert "Moeten wijzigingen gedeeld worden?" in result.error
    assert [q.key for q, _a in result.answers] == ["soort"]


def test_walk_in_a_tree_with_a_loop_stops_at_the_number_of_questions():
    tree = Tree.from_raw(
        [
            question("a", "A?", ("naar b", "b")),
            question("b", "B?", ("naar a", "a")),
        ]
    )
    assert walk(tree, "0.0").question.key == "a"
    result = walk(tree, "0.0.0")
    assert not result.ok
    assert "more answers than questions" in result.error


def test_walk_in_a_broken_tree_reports_it():
    tree = Tree.from_raw([question("a", "A?", ("nergens", "weg"))])
    result = walk(tree, "0")
    assert not result.ok and "incomplete" in result.error
    assert not walk(Tree.from_raw([]), "").ok
    assert not walk(Tree.from_raw([outcome("o", "O")]), "").ok


def test_trail_sequences_are_accepted_and_checked():
    assert decision_tree.parse_trail([0, 1]) == (0, 1)
    assert decision_tree.parse_trail([0, -1]) is None
    assert decision_tree.parse_trail([True]) is None
    assert decision_tree.parse_trail(" 0.1 ") == (0, 1)
    assert decision_tree.format_trail((0, 2, 1)) == "0.2.1"
