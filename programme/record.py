"""A librarian's contribution record: what they answered, which answers were chosen, the
helpful votes they received, the articles and reports they published, and the training they
attended (with a certificate) or gave as a trainer, in a period.
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
from programme import selectors as training_selectors
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
    certificates: int = 0
    trainings_given: int = 0
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
    _training(record, member=member, period=period)
    record.entries.sort(key=lambda entry: entry.date, reverse=True)
    return record


def _training(record: Record, *, member, period: Period) -> None:
    for certificate in training_selectors.certificates_of(
        member=member, start=period.start, end=period.end
    ):
        record.certificates += 1
        record.entries.append(
            Entry(
                certificate.last_day,
                _("Training attended (certificate)"),
                certificate.session_title,
                certificate.get_absolute_url(),
            )
        )
    for session in training_selectors.trained_sessions(
        member=member, start=period.start, end=period.end
    ):
        record.trainings_given += 1
        day = timezone.localtime(session.starts_at).date()
        record.entries.append(
            Entry(day, _("Training given as a trainer"), session.title, session.get_absolute_url())
        )


def headings() -> list[str]:
    return [_("Date"), _("Contribution"), _("Title"), _("Address"), _("Helpful votes")]


def rows(*, member, period: Period) -> list[list]:
    return [
        [entry.date, entry.kind, entry.title, f"{settings.SITE_URL}{entry.url}", entry.helpful]
        for entry in build(member=member, period=period).entries
    ]
