"""A librarian's contribution record: what they answered, which answers were chosen, the
helpful votes they received, and the articles and reports they published, in a period.
Functional librarians (jabatan fungsional pustakawan) document such work for their periodic
appraisal: the record prints, and downloads as CSV."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.selectors import statistics
from kb import selectors as kb_selectors
from kb.models import ReportPage
from programme.periods import Period


@dataclass
class Entry:
    date: object
    kind: str
    title: str
    url: str
    helpful: int = 0


@dataclass
class Record:
    answers: int = 0
    accepted: int = 0
    helpful: int = 0
    articles: int = 0
    reports: int = 0
    entries: list[Entry] = field(default_factory=list)


def build(*, member, period: Period) -> Record:
    record = Record()
    for post in statistics.member_answers(member=member, start=period.start, end=period.end):
        record.answers += 1
        record.helpful += post.helpful_count
        kind = _("Answer chosen as the solution") if post.is_solution else _("Answer")
        record.accepted += int(post.is_solution)
        record.entries.append(
            Entry(
                timezone.localtime(post.created_at).date(),
                kind,
                post.topic.title,
                post.get_absolute_url(),
                post.helpful_count,
            )
        )
    for page in kb_selectors.pages_published_by(member=member, start=period.start, end=period.end):
        is_report = isinstance(page, ReportPage)
        record.reports += int(is_report)
        record.articles += int(not is_report)
        kind = _("Internship report published") if is_report else _("Article published")
        published = timezone.localtime(page.first_published_at).date()
        record.entries.append(Entry(published, kind, page.title, page.url or ""))
    record.entries.sort(key=lambda entry: entry.date, reverse=True)
    return record


def headings() -> list[str]:
    return [_("Date"), _("Contribution"), _("Title"), _("Address"), _("Helpful votes")]


def rows(*, member, period: Period) -> list[list]:
    return [
        [entry.date, entry.kind, entry.title, f"{settings.SITE_URL}{entry.url}", entry.helpful]
        for entry in build(member=member, period=period).entries
    ]
