"""The programme's training sessions: workshops, classes at other libraries and distance
learning, from registration to certificate and evaluation.

A session is a ClusterableModel so that coordinators edit it, its meetings, trainers, reading
and materials on one screen of the editors' admin (programme.wagtail_hooks). Times are stored in
UTC and shown in WIB (settings.TIME_ZONE)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.models import Orderable

MAX_CAPACITY = 10_000
MAX_MEETING = timedelta(hours=12)
CHECKIN_CODE_LENGTH = 6
# No 0/O or 1/I/L: the code is read off a projector or a video call and typed on a phone.
CHECKIN_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_checkin_code() -> str:
    return "".join(secrets.choice(CHECKIN_ALPHABET) for _ in range(CHECKIN_CODE_LENGTH))


def new_token() -> str:
    return secrets.token_urlsafe(24)


def new_certificate_code() -> str:
    return secrets.token_urlsafe(9)  # 12 characters, 72 random bits


def material_path(material: Material, filename: str) -> str:
    return f"programme/materials/{material.session_id or 'new'}/{secrets.token_hex(8)}/{filename}"


class TrainingSession(ClusterableModel):
    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("Workshop")
        CLASS = "class", _("Class")
        DISTANCE = "distance", _("Distance learning")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        BOTH = "both", _("In person and online")

    title = models.CharField(_("title"), max_length=200)
    area = models.ForeignKey(
        "forum.Category",
        on_delete=models.PROTECT,
        related_name="training_sessions",
        verbose_name=_("competency area"),
    )
    description = models.TextField(
        _("description"), max_length=10_000, help_text=_("Markdown, as in the forum.")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    place = models.CharField(
        _("place"), max_length=300, blank=True, help_text=_("Where the meetings are held.")
    )
    meeting_link = models.URLField(
        _("meeting link"),
        max_length=500,
        blank=True,
        help_text=_("The online meeting's address: shown only to registered members."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)]
    )
    registration_deadline = models.DateTimeField(_("registration deadline (WIB)"))
    registration_closed = models.BooleanField(
        _("registration closed"),
        default=False,
        help_text=_("Close registration before the deadline."),
    )
    # Places taken, moved only by programme.services in the same UPDATE that checks capacity:
    # two librarians registering at once can never both take the last place.
    seats_taken = models.PositiveIntegerField(default=0, editable=False)
    topic = models.OneToOneField(
        "forum.Topic",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="training_session",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # The first meeting's start and the last one's end, kept by programme.services so that
    # lists order and filter without a join.
    starts_at = models.DateTimeField(null=True, editable=False, db_index=True)
    ends_at = models.DateTimeField(null=True, editable=False)

    panels = [
        FieldPanel("title"),
        FieldPanel("area"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("mode"),
                FieldPanel("place"),
                FieldPanel("meeting_link"),
            ],
            heading=_("Where and how"),
        ),
        InlinePanel("meetings", min_num=1, label=_("Meeting")),
        MultiFieldPanel(
            [
                FieldPanel("capacity"),
                FieldPanel("registration_deadline"),
                FieldPanel("registration_closed"),
            ],
            heading=_("Registration"),
        ),
        InlinePanel("trainers", label=_("Trainer")),
        InlinePanel("readings", label=_("Reading from the knowledge base")),
        InlinePanel("materials", label=_("Material")),
    ]

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programme:session", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if self.capacity is not None and self.capacity < self.seats_taken:
            raise ValidationError(
                {
                    "capacity": _(
                        "%(taken)s members are registered: the capacity cannot be smaller."
                    )
                    % {"taken": self.seats_taken}
                }
            )

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    def registration_open(self, now=None) -> bool:
        now = now or timezone.now()
        return not self.registration_closed and now < self.registration_deadline

    @property
    def has_ended(self) -> bool:
        return self.ends_at is not None and self.ends_at <= timezone.now()


class Meeting(Orderable):
    """One dated meeting of a session; attendance and check-in codes are per meeting."""

    session = ParentalKey(TrainingSession, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("starts (WIB)"))
    ends_at = models.DateTimeField(_("ends (WIB)"))
    checkin_code = models.CharField(
        _("check-in code"), max_length=12, default=new_checkin_code, editable=False
    )

    panels = [FieldPanel("starts_at"), FieldPanel("ends_at")]

    class Meta(Orderable.Meta):
        ordering = ["starts_at", "id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session} — {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A meeting ends after it starts.")})
        if self.starts_at and self.ends_at and self.ends_at - self.starts_at > MAX_MEETING:
            raise ValidationError({"ends_at": _("A meeting lasts at most 12 hours.")})

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600

    def checkin_open(self, now=None) -> bool:
        """Attendees check themselves in while the meeting runs, and only then."""
        now = now or timezone.now()
        return self.starts_at <= now < self.ends_at


class SessionTrainer(Orderable):
    """A trainer: a member (their sessions count in their contribution record) or, for a
    speaker from outside Serambi, a name."""

    session = ParentalKey(TrainingSession, on_delete=models.CASCADE, related_name="trainers")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions_trained",
        verbose_name=_("member"),
    )
    name = models.CharField(
        _("name"), max_length=150, blank=True, help_text=_("For a trainer from outside Serambi.")
    )

    panels = [FieldPanel("member"), FieldPanel("name")]

    class Meta(Orderable.Meta):
        verbose_name = _("trainer")
        verbose_name_plural = _("trainers")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.member_id:
            return self.member.get_full_name() or self.member.username
        return self.name

    def clean(self) -> None:
        if bool(self.member_id) == bool(self.name.strip()):
            raise ValidationError(_("Choose a member or write an outside trainer's name."))


class SessionReading(Orderable):
    session = ParentalKey(TrainingSession, on_delete=models.CASCADE, related_name="readings")
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("page")
    )

    panels = [PageChooserPanel("page", ["kb.ArticlePage", "kb.ReportPage"])]

    class Meta(Orderable.Meta):
        verbose_name = _("reading")
        verbose_name_plural = _("reading")

    def __str__(self) -> str:
        return str(self.page)


class Material(Orderable):
    """Slides or a recording added after a meeting: a link, or a file taken through the forum's
    safe uploads (forum.uploads: type from the content, images re-encoded)."""

    session = ParentalKey(TrainingSession, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to=material_path, max_length=250, blank=True)

    panels = [FieldPanel("title"), FieldPanel("url"), FieldPanel("file")]

    class Meta(Orderable.Meta):
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        from django.core.files.base import ContentFile

        from forum.uploads import UploadRejected, process_upload

        if bool(self.url) == bool(self.file):
            raise ValidationError(_("Give a link or a file, not both."))
        if self.file and not getattr(self.file, "_committed", True):
            try:
                processed = process_upload(self.file.file, name=self.file.name)
            except UploadRejected as rejected:
                raise ValidationError({"file": rejected.message}) from None
            self.file = ContentFile(processed.content, name=processed.filename)


class Registration(models.Model):
    """A member's place in a session, or in its waiting list (first come, first served by
    `queued_at`)."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registrations"
    )
    status = models.CharField(max_length=12, choices=Status.choices)
    queued_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_registration_each")
        ]
        indexes = [
            models.Index(fields=["session", "status", "queued_at"], name="registration_queue")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.session}"


class Attendance(models.Model):
    class Method(models.TextChoices):
        CODE = "code", _("Checked in with the code")
        LIST = "list", _("Ticked by a coordinator")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendances"
    )
    method = models.CharField(max_length=8, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_attendance_each")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.meeting}"


class Certificate(models.Model):
    """A certificate of attendance, as it was issued: what its verification page shows even if
    the session is edited later."""

    code = models.CharField(max_length=20, unique=True, default=new_certificate_code)
    # A certificate stays true when its session is deleted: it holds its own copy of what it says.
    session = models.ForeignKey(
        TrainingSession, on_delete=models.SET_NULL, null=True, related_name="certificates"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates"
    )
    holder_name = models.CharField(max_length=300)
    session_title = models.CharField(max_length=200)
    area_name = models.CharField(max_length=80)
    first_day = models.DateField()
    last_day = models.DateField()
    hours = models.DecimalField(max_digits=6, decimal_places=1)
    trainers = models.CharField(max_length=1000, blank=True)
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_certificate_each")
        ]

    def __str__(self) -> str:
        return f"{self.holder_name} — {self.session_title}"

    def get_absolute_url(self) -> str:
        return reverse("programme:certificate_verify", kwargs={"code": self.code})


class Evaluation(models.Model):
    """An attendee's evaluation of a session. Who wrote it is kept only so that each attendee
    answers once; the results pages never show it."""

    SCALE = [(n, str(n)) for n in range(1, 6)]

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="evaluations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    relevance = models.PositiveSmallIntegerField(
        _("How relevant was it to your work?"), choices=SCALE
    )
    trainer = models.PositiveSmallIntegerField(_("How good was the trainer?"), choices=SCALE)
    materials = models.PositiveSmallIntegerField(_("How useful were the materials?"), choices=SCALE)
    confidence_before = models.PositiveSmallIntegerField(
        _("Your confidence in this area before the training"), choices=SCALE
    )
    confidence_after = models.PositiveSmallIntegerField(
        _("Your confidence in this area after the training"), choices=SCALE
    )
    apply = models.TextField(_("What will you apply at your desk?"), max_length=2000, blank=True)
    comments = models.TextField(_("Comments"), max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_evaluation_each"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                    name=f"evaluation_{name}_1_to_5",
                )
                for name in (
                    "relevance",
                    "trainer",
                    "materials",
                    "confidence_before",
                    "confidence_after",
                )
            ],
        ]

    def __str__(self) -> str:
        return f"{self.session} #{self.pk}"


class MeetingReminder(models.Model):
    """A reminder sent for a meeting to a member: sent once, whatever the scheduler does."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_reminder_each")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.meeting}"


class CalendarFeed(models.Model):
    """A member's private calendar address: whoever has the token reads their sessions, so they
    can reset it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return str(self.user)
