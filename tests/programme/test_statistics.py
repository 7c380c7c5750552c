"""The forum's figures for the programme, against a November computed by hand. The same tests
run on SQLite and on PostgreSQL (CI's second pass): the medians are SQL on both."""

from __future__ import annotations

import datetime

import pytest

from forum.selectors import statistics
from tests.forum.factories import competency_area, create_member
from tests.programme.conftest import TODAY, after, answer, ask, at, solve

pytestmark = pytest.mark.django_db

NOVEMBER = statistics.Scope(start=at(1, 0), end=at(1, 0, month=12))


@pytest.fixture
def november(today):
    """Four questions about reader services and one about IT asked in November, one in October.

    | question        | first answer by someone else | solved   |
    | A  2 Nov 08:00  | after 2 hours                | after 6  |
    | B  3 Nov 08:00  | after 30 hours               | after 50 |
    | C  4 Nov 08:00  | only its asker replied       | -        |
    | D  5 Nov 08:00  | after 10 hours               | -        |
    | E  6 Nov (IT)   | none                         | -        |
    | F 20 Oct        | after 1 hour                 | -        |
    """
    helper = create_member(username="budi")
    a = ask(at(2), title="Pertanyaan A")
    solve(a, answer(a, after(at(2), 2), author=helper), after(at(2), 6))
    b = ask(at(3), title="Pertanyaan B")
    solve(b, answer(b, after(at(3), 30), author=helper), after(at(3), 50))
    c = ask(at(4), title="Pertanyaan C")
    answer(c, after(at(4), 1), author=c.author)
    d = ask(at(5), title="Pertanyaan D")
    answer(d, after(at(5), 10))
    e = ask(at(6), area="teknologi-informasi", title="Pertanyaan E")
    f = ask(at(20, month=10), title="Pertanyaan F")
    answer(f, after(at(20, month=10), 1))
    return {"A": a, "B": b, "C": c, "D": d, "E": e, "F": f, "helper": helper}


def figures_by_area(scope) -> dict[str, statistics.AreaFigures]:
    return {competency_area_slug(f.category_id): f for f in statistics.area_figures(scope=scope)}


def competency_area_slug(category_id: int) -> str:
    from forum.models import Category

    return Category.objects.get(pk=category_id).slug


def test_an_area_s_shares_and_medians_match_the_hand_computed_november(november):
    services = figures_by_area(NOVEMBER)["layanan-pemustaka"]

    assert services.asked == 4  # F was asked in October
    assert services.answered_quickly_share == 0.5  # A and D; C's asker answered only themself
    assert services.solved_share == 0.5  # A and B
    assert services.median_answer_hours == 10.0  # of 2, 10 and 30 hours
    assert services.median_solution_hours == 28.0  # of 6 and 50 hours: the middle two averaged
    assert services.unanswered_late == 1  # C


def test_an_area_nobody_answered_has_no_median_and_counts_as_unanswered(november):
    it = figures_by_area(NOVEMBER)["teknologi-informasi"]

    assert (it.asked, it.answered_quickly, it.solved, it.unanswered_late) == (1, 0, 0, 1)
    assert it.median_answer_hours is None and it.median_solution_hours is None


def test_an_empty_period_has_no_figures(november):
    september = statistics.Scope(start=at(1, 0, month=9), end=at(1, 0, month=10))

    assert statistics.area_figures(scope=september) == []
    assert statistics.unanswered(scope=september) == []
    assert statistics.monthly(scope=september) == {}
    assert statistics.participation_by_library(scope=september) == {}


def test_one_area_and_one_library_narrow_the_figures(november):
    library = november["A"].author.library
    only_a = statistics.Scope(NOVEMBER.start, NOVEMBER.end, competency_area(), library)
    it = statistics.Scope(NOVEMBER.start, NOVEMBER.end, competency_area("teknologi-informasi"))

    assert [f.asked for f in statistics.area_figures(scope=only_a)] == [1]
    assert [t.title for t in statistics.unanswered(scope=it)] == ["Pertanyaan E"]


def test_questions_unanswered_for_three_days_are_listed_the_longest_waiting_first(november, today):
    recent = ask(TODAY - datetime.timedelta(days=2), title="Pertanyaan baru")
    december = statistics.Scope(start=at(1, 0, month=12), end=at(31, 23, month=12))

    waiting = statistics.unanswered(scope=NOVEMBER)

    assert [t.title for t in waiting] == ["Pertanyaan C", "Pertanyaan E"]
    assert statistics.unanswered(scope=december) == []  # two days is not yet late
    assert recent.first_answered_at is None


def test_trends_count_questions_by_the_month_asked_and_by_the_month_solved(november):
    services = competency_area().pk
    autumn = statistics.Scope(start=at(1, 0, month=10), end=at(1, 0, month=12))

    trend = statistics.monthly(scope=autumn)

    assert trend[(datetime.date(2026, 10, 1), services)] == {"asked": 1, "solved": 0}
    assert trend[(datetime.date(2026, 11, 1), services)] == {"asked": 4, "solved": 2}


def test_participation_counts_answers_to_others_only(november):
    figures = statistics.participation_by_library(scope=NOVEMBER)
    helper_library = november["helper"].library_id
    c_library = november["C"].author.library_id

    assert figures[helper_library] == {"questions": 0, "answers": 2}
    assert figures[c_library] == {"questions": 1, "answers": 0}  # C's own reply is no answer
    assert sum(f["questions"] for f in figures.values()) == 5
    assert sum(f["answers"] for f in figures.values()) == 3  # A's, B's and D's


def test_the_member_whose_answers_solved_most_is_recognised_in_their_area(november):
    best = statistics.accepted_answerers(scope=NOVEMBER)

    assert best == {competency_area().pk: [(november["helper"], 2)]}


def test_a_self_answered_solution_is_not_an_answer(today):
    asker = create_member()
    topic = ask(at(10), author=asker)
    own = answer(topic, after(at(10), 1), author=asker)
    solve(topic, own, after(at(10), 2))

    [figures] = statistics.area_figures(scope=NOVEMBER)

    assert figures.answered_quickly == 0 and figures.median_answer_hours is None
    assert statistics.accepted_answerers(scope=NOVEMBER) == {}
