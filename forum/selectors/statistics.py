"""The forum's figures for the development programme (programme/ reads them): questions asked,
answered and solved per competency area, how long answers take, who answers, who is thanked.

Every figure is computed by the database (aggregates, and window functions for the medians),
in a fixed number of queries whatever the period. Medians use ROW_NUMBER and COUNT over each
area's sorted durations and average the middle one or two rows: the same SQL on SQLite, which
has no percentile function, and on PostgreSQL. A question counts as answered when someone
other than its asker replied (Topic.first_answered_at is only set then).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts.models import Library, User
from forum.models import Category, Post, Topic

UNANSWERED_AFTER = datetime.timedelta(days=3)
ANSWERED_QUICKLY = datetime.timedelta(hours=24)
UNANSWERED_LISTED = 50


@dataclass(frozen=True)
class Scope:
    """What a coordinator looks at: questions asked in [start, end), in one area or all, by
    members of one library or all."""

    start: datetime.datetime
    end: datetime.datetime
    category: Category | None = None
    library: Library | None = None


def _asked(scope: Scope) -> QuerySet[Topic]:
    # Listed questions only: not duplicates merged away, not hidden by a moderator, not taken
    # back by their asker before anyone answered, not a discussion Serambi opened.
    topics = Topic.objects.filter(
        created_at__gte=scope.start,
        created_at__lt=scope.end,
        merged_into=None,
        is_visible=True,
        is_question=True,
    )
    if scope.category is not None:
        topics = topics.filter(category=scope.category)
    if scope.library is not None:
        topics = topics.filter(author__library=scope.library)
    return topics


@dataclass
class AreaFigures:
    category_id: int
    asked: int = 0
    answered_quickly: int = 0
    solved: int = 0
    unanswered_late: int = 0
    median_answer_hours: float | None = None
    median_solution_hours: float | None = None

    @property
    def answered_quickly_share(self) -> float | None:
        return self.answered_quickly / self.asked if self.asked else None

    @property
    def solved_share(self) -> float | None:
        return self.solved / self.asked if self.asked else None


def area_figures(*, scope: Scope, now: datetime.datetime | None = None) -> list[AreaFigures]:
    """Per competency area: asked, answered within 24 hours, solved, unanswered after three
    days, and the median hours to the first answer and to the solution. Two queries."""
    now = now or timezone.now()
    waited = ExpressionWrapper(F("first_answered_at") - F("created_at"), DurationField())
    counts = (
        _asked(scope)
        .annotate(waited=waited)
        .values("category")
        .annotate(
            asked=Count("id"),
            answered_quickly=Count("id", filter=Q(waited__lte=ANSWERED_QUICKLY)),
            solved=Count("id", filter=Q(solution__isnull=False)),
            unanswered_late=Count(
                "id",
                filter=Q(first_answered_at=None, created_at__lte=now - UNANSWERED_AFTER),
            ),
        )
        .order_by()
    )
    figures = {
        row["category"]: AreaFigures(
            category_id=row["category"],
            asked=row["asked"],
            answered_quickly=row["answered_quickly"],
            solved=row["solved"],
            unanswered_late=row["unanswered_late"],
        )
        for row in counts
    }
    for (kind, category_id), hours in _medians(scope).items():
        if category_id in figures:
            setattr(figures[category_id], f"median_{kind}_hours", hours)
    return list(figures.values())


def _seconds_between(later: str, earlier: str) -> str:
    if connection.vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM ({later} - {earlier}))"
    return f"((julianday({later}) - julianday({earlier})) * 86400.0)"


def _medians(scope: Scope) -> dict[tuple[str, int], float]:
    """{("answer"|"solution", category id): median hours}, in one query."""
    asked = _asked(scope).values("id")
    inner_sql, params = asked.query.sql_with_params()
    table = Topic._meta.db_table

    def ordered(kind: str, column: str) -> str:
        seconds = _seconds_between(f"t.{column}", "t.created_at")
        # Only our own column names and the ORM's compiled query go into the string.
        return (
            f"SELECT '{kind}' AS kind, t.category_id AS area, {seconds} AS v, "  # noqa: S608
            f"ROW_NUMBER() OVER (PARTITION BY t.category_id ORDER BY {seconds}) AS rn, "
            f"COUNT(*) OVER (PARTITION BY t.category_id) AS n "
            f"FROM {table} t WHERE t.id IN ({inner_sql}) AND t.{column} IS NOT NULL"
        )

    sql = (
        f"SELECT kind, area, AVG(v) FROM ({ordered('answer', 'first_answered_at')} "  # noqa: S608
        f"UNION ALL {ordered('solution', 'solved_at')}) AS ranked "
        "WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY kind, area"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *params])
        # Whole seconds: SQLite's julianday() is a float, a few microseconds off.
        rows = cursor.fetchall()
    return {(kind, area): round(float(seconds)) / 3600 for kind, area, seconds in rows}


def unanswered(*, scope: Scope, now: datetime.datetime | None = None) -> list[Topic]:
    """Questions nobody but their asker answered for three days, the longest waiting first:
    for a coordinator to ask an expert to look."""
    now = now or timezone.now()
    return list(
        _asked(scope)
        .filter(first_answered_at=None, created_at__lte=now - UNANSWERED_AFTER)
        .select_related("category", "author__library")
        .order_by("created_at")[:UNANSWERED_LISTED]
    )


def monthly(*, scope: Scope) -> dict[tuple[datetime.date, int], dict[str, int]]:
    """{(month, category id): {"asked": n, "solved": n}}: questions asked in each month, and
    questions solved in each month (of those asked in the period). One query each."""
    trends: dict = defaultdict(lambda: {"asked": 0, "solved": 0})
    asked = (
        _asked(scope)
        .annotate(month=TruncMonth("created_at"))
        .values("month", "category")
        .annotate(n=Count("id"))
        .order_by()
    )
    solved = (
        _asked(scope)
        .filter(solved_at__isnull=False, solved_at__lt=scope.end)
        .annotate(month=TruncMonth("solved_at"))
        .values("month", "category")
        .annotate(n=Count("id"))
        .order_by()
    )
    for kind, rows in (("asked", asked), ("solved", solved)):
        for row in rows:
            month = row["month"]
            month = month.date() if isinstance(month, datetime.datetime) else month
            trends[(month, row["category"])][kind] = row["n"]
    return dict(trends)


def undocumented_solutions(*, scope: Scope, limit: int = 20) -> list[Topic]:
    """Solved questions no published article distils yet, the most helpful first: candidates
    for the knowledge base (moderators and editors promote them)."""
    return list(
        _asked(scope)
        .filter(solution__isnull=False, documented_in_url="")
        .select_related("category")
        .order_by("-helpful_count", "-solved_at")[:limit]
    )


def participation_by_library(*, scope: Scope) -> dict[int | None, dict[str, int]]:
    """{library id (None: no library): {"questions": n, "answers": n}} in the period."""
    figures: dict = defaultdict(lambda: {"questions": 0, "answers": 0})
    questions = _asked(scope).values("author__library").annotate(n=Count("id")).order_by()
    answers = _answers(scope).values("author__library").annotate(n=Count("*")).order_by()
    for kind, rows in (("questions", questions), ("answers", answers)):
        for row in rows:
            figures[row["author__library"]][kind] = row["n"]
    return dict(figures)


def _answers(scope: Scope) -> QuerySet[Post]:
    answers = Post.objects.filter(
        position__gt=1,
        deleted_at=None,
        hidden_at=None,
        created_at__gte=scope.start,
        created_at__lt=scope.end,
        topic__merged_into=None,
    ).exclude(author=F("topic__author"))
    if scope.category is not None:
        answers = answers.filter(topic__category=scope.category)
    if scope.library is not None:
        answers = answers.filter(author__library=scope.library)
    return answers


def accepted_answerers(*, scope: Scope, per_area: int = 5) -> dict[int, list[tuple[User, int]]]:
    """Per area, the members whose answers were chosen as solutions most often (questions
    solved in the period): recognition for the programme's evaluation."""
    solved = Topic.objects.filter(
        solved_at__gte=scope.start, solved_at__lt=scope.end, solution__isnull=False
    ).exclude(solution__author=F("author"))
    if scope.category is not None:
        solved = solved.filter(category=scope.category)
    if scope.library is not None:
        solved = solved.filter(solution__author__library=scope.library)
    rows = (
        solved.values("category", "solution__author")
        .annotate(n=Count("id"))
        .order_by("category", "-n", "solution__author")
    )
    best: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for row in rows:
        if len(best[row["category"]]) < per_area:
            best[row["category"]].append((row["solution__author"], row["n"]))
    people = User.objects.select_related("library").in_bulk(
        [user for entries in best.values() for user, _n in entries]
    )
    return {
        area: [(people[user], n) for user, n in entries if user in people]
        for area, entries in best.items()
    }


# --- One member's record ------------------------------------------------------------------------


def member_answers(*, member: User, start, end) -> list[Post]:
    """A member's visible answers to others' questions in [start, end), the newest first, with
    whether each was chosen as the solution (Post.is_solution) and its helpful votes."""
    return list(
        Post.objects.filter(
            author=member,
            position__gt=1,
            deleted_at=None,
            hidden_at=None,
            created_at__gte=start,
            created_at__lt=end,
            topic__is_visible=True,
            topic__merged_into=None,
        )
        .exclude(topic__author=member)
        .annotate(is_solution=Exists(Topic.objects.filter(solution=OuterRef("pk"))))
        .select_related("topic__category")
        .order_by("-created_at")
    )
