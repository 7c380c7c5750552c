"""Where librarians struggle, for the coordinators' page, its CSV files and its weekly email.

Read from the forum, the knowledge base and the search log through their selectors; every table
is a list of rows (plain values, in display order), so that the page, the CSV download and the
email show the same figures. A fixed number of queries, whatever the period.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Library
from forum.models import Category
from forum.selectors import statistics
from kb import selectors as kb_selectors
from programme import periods
from programme import selectors as training_selectors
from search import selectors as search_selectors


@dataclass
class Table:
    """One of the page's tables: headings, rows of display values, and (for the page) links."""

    name: str
    title: str
    headings: list[str]
    rows: list[list] = field(default_factory=list)
    links: list[str | None] = field(default_factory=list)
    # Where each row's one action posts to (starting an article from a solved topic), if any.
    actions: list[str] = field(default_factory=list)
    action_label: str = ""

    def entries(self) -> list[tuple[list, str | None, str | None]]:
        actions = self.actions or [None] * len(self.rows)
        return list(zip(self.rows, self.links, actions, strict=True))


@dataclass
class Insight:
    period: periods.Period
    area: Category | None
    library: Library | None
    tables: dict[str, Table]
    months: list[datetime.date]
    areas: list[Category]
    trend: dict  # (month, category id) -> {"asked": n, "solved": n}

    def table(self, name: str) -> Table:
        return self.tables[name]


def _hours(value: float | None):
    return None if value is None else round(value, 1)


def _share(value: float | None):
    return None if value is None else round(100 * value, 1)


TABLES = (
    "areas",
    "unanswered",
    "trends",
    "searches",
    "undocumented",
    "unhelpful",
    "libraries",
    "answerers",
    "reports",
    "training",
)  # in the page's order
TRAINING_WINDOW = datetime.timedelta(days=90)  # the questions before and after a session


def build(
    *,
    period: periods.Period,
    area: Category | None,
    library: Library | None,
    tables: tuple[str, ...] = TABLES,
    trend: bool = True,
) -> Insight:
    """The page's `tables` (a CSV download builds one, the chart none) and the monthly trend."""
    scope = statistics.Scope(start=period.start, end=period.end, category=area, library=library)
    every_area = list(Category.objects.all())
    areas = every_area if area is None else [area]
    names = {c.pk: c.display_name for c in every_area}
    months = periods.months_of(period)
    monthly = statistics.monthly(scope=scope) if trend or "trends" in tables else {}
    builders = {
        "areas": lambda: _areas_table(scope, areas),
        "unanswered": lambda: _unanswered_table(scope),
        "trends": lambda: _trends_table(monthly, months, areas),
        "searches": lambda: _searches_table(period),
        "undocumented": lambda: _undocumented_table(scope),
        "unhelpful": lambda: _unhelpful_table(period, area),
        "libraries": lambda: _libraries_table(scope),
        "answerers": lambda: _answerers_table(scope, names),
        "reports": lambda: _reports_table(period, area, library, every_area),
        "training": lambda: _training_table(period, area),
    }
    built = {name: builders[name]() for name in tables}
    return Insight(period, area, library, built, months, areas, monthly)


def _areas_table(scope, areas) -> Table:
    table = Table(
        "areas",
        str(_("Questions by competency area")),
        [
            str(_("Competency area")),
            str(_("Asked")),
            str(_("Answered within 24 hours (%)")),
            str(_("Solved (%)")),
            str(_("Median hours to the first answer")),
            str(_("Median hours to the solution")),
            str(_("Unanswered after 3 days")),
        ],
    )
    figures = {f.category_id: f for f in statistics.area_figures(scope=scope)}
    for category in areas:
        f = figures.get(category.pk) or statistics.AreaFigures(category.pk)
        table.rows.append(
            [
                category.display_name,
                f.asked,
                _share(f.answered_quickly_share),
                _share(f.solved_share),
                _hours(f.median_answer_hours),
                _hours(f.median_solution_hours),
                f.unanswered_late,
            ]
        )
        table.links.append(category.get_absolute_url())
    return table


def _unanswered_table(scope) -> Table:
    table = Table(
        "unanswered",
        str(_("Questions still unanswered after three days")),
        [str(_("Question")), str(_("Competency area")), str(_("Library")), str(_("Asked on"))],
    )
    for topic in statistics.unanswered(scope=scope):
        library = topic.author.library
        table.rows.append(
            [
                topic.title,
                topic.category.display_name,
                library.name if library else "",
                timezone.localtime(topic.created_at).date(),
            ]
        )
        table.links.append(topic.get_absolute_url())
    return table


def _trends_table(trend, months, areas) -> Table:
    table = Table(
        "trends",
        str(_("Questions asked and solved per month")),
        [str(_("Month")), str(_("Competency area")), str(_("Asked")), str(_("Solved"))],
    )
    for month in months:
        for category in areas:
            figures = trend.get((month, category.pk), {"asked": 0, "solved": 0})
            table.rows.append([month, category.display_name, figures["asked"], figures["solved"]])
            table.links.append(None)
    return table


def _searches_table(period) -> Table:
    table = Table(
        "searches",
        str(_("Searches that found nothing")),
        [str(_("Search")), str(_("Times")), str(_("Last searched"))],
    )
    for row in search_selectors.empty_searches(start=period.start, end=period.end):
        table.rows.append([row["example"], row["searches"], timezone.localtime(row["last"]).date()])
        table.links.append(None)
    return table


def _undocumented_table(scope) -> Table:
    table = Table(
        "undocumented",
        str(_("Solved questions not yet in the knowledge base")),
        [str(_("Question")), str(_("Competency area")), str(_("Helpful votes"))],
    )
    table.action_label = str(_("Write it up as an article"))
    for topic in statistics.undocumented_solutions(scope=scope):
        table.rows.append([topic.title, topic.category.display_name, topic.helpful_count])
        table.links.append(topic.get_absolute_url())
        table.actions.append(reverse("kb:promote", args=[topic.pk]))
    return table


def _unhelpful_table(period, area) -> Table:
    table = Table(
        "unhelpful",
        str(_("Pages readers found unhelpful")),
        [str(_("Page")), str(_("Comment")), str(_("Date"))],
    )
    for feedback in kb_selectors.unhelpful_feedback(
        start=period.start, end=period.end, category=area
    ):
        table.rows.append(
            [feedback.page.title, feedback.comment, timezone.localtime(feedback.updated_at).date()]
        )
        table.links.append(feedback.page.url)
    return table


def _libraries_table(scope) -> Table:
    table = Table(
        "libraries",
        str(_("Questions and answers per library")),
        [str(_("Library")), str(_("Questions")), str(_("Answers"))],
    )
    figures = statistics.participation_by_library(scope=scope)
    libraries = Library.objects.in_bulk([pk for pk in figures if pk is not None])
    rows = []
    for pk, counts in figures.items():
        name = str(libraries[pk]) if pk in libraries else str(_("No library given"))
        rows.append([name, counts["questions"], counts["answers"]])
    rows.sort(key=lambda row: (-(row[1] + row[2]), row[0]))
    table.rows = rows
    table.links = [None] * len(rows)
    return table


def _answerers_table(scope, names) -> Table:
    table = Table(
        "answerers",
        str(_("Answers chosen as the solution most often")),
        [str(_("Competency area")), str(_("Member")), str(_("Library")), str(_("Solutions"))],
    )
    for area, people in statistics.accepted_answerers(scope=scope).items():
        for member, count in people:
            library = member.library.name if member.library else ""
            table.rows.append([names.get(area, ""), str(member), library, count])
            table.links.append(member.get_absolute_url())
    return table


def _reports_table(period, area, library, every_area) -> Table:
    table = Table(
        "reports",
        str(_("Internship reports published per host library and area")),
        [str(_("Host library")), str(_("Competency area")), str(_("Reports"))],
    )
    names = {c.slug: c.display_name for c in every_area}
    for row in kb_selectors.reports_published(
        start=period.start, end=period.end, category=area, library=library
    ):
        host = f"{row['host_library__name']}, {row['host_library__city']}"
        table.rows.append([host, names.get(row["areas__slug"], ""), row["reports"]])
        table.links.append(None)
    return table


def _training_table(period, area) -> Table:
    """Each session held in the period beside its area's questions in the 90 days before it
    and the 90 days after it (up to today): did questions get solved faster afterwards?"""
    table = Table(
        "training",
        str(_("Training held and the questions in its area before and after")),
        [
            str(_("Session")),
            str(_("Competency area")),
            str(_("Last meeting")),
            str(_("Attendees")),
            str(_("Asked in the 90 days before")),
            str(_("Median hours to the solution, before")),
            str(_("Asked in the 90 days after")),
            str(_("Median hours to the solution, after")),
        ],
    )
    now = timezone.now()
    for held in training_selectors.sessions_held(start=period.start, end=period.end, area=area):
        before = _area_figures(held.area, held.starts_at - TRAINING_WINDOW, held.starts_at)
        after = _area_figures(held.area, held.ends_at, min(held.ends_at + TRAINING_WINDOW, now))
        table.rows.append(
            [
                held.title,
                held.area.display_name,
                timezone.localtime(held.ends_at).date(),
                held.attendee_count,
                before.asked,
                _hours(before.median_solution_hours),
                after.asked,
                _hours(after.median_solution_hours),
            ]
        )
        table.links.append(held.get_absolute_url())
    return table


def _area_figures(area, start, end) -> statistics.AreaFigures:
    scope = statistics.Scope(start=start, end=end, category=area)
    found = [f for f in statistics.area_figures(scope=scope) if f.category_id == area.pk]
    return found[0] if found else statistics.AreaFigures(area.pk)
