from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group, UserManager
from django.db import models
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from config.reversing import reverse_one

AVATAR_COLOURS = 8  # avatar--c0 … avatar--c7 in serambi.css


class Library(models.Model):
    """The institution a librarian works at; also the host of an internship."""

    class Kind(models.TextChoices):
        PUBLIC = "public", _("Public library")
        SCHOOL = "school", _("School library")
        UNIVERSITY = "university", _("University library")
        VILLAGE = "village", _("Village library")
        SPECIAL = "special", _("Special library")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    city = models.CharField(_("city or regency"), max_length=100)
    province = models.CharField(_("province"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("library")
        verbose_name_plural = _("libraries")
        constraints = [
            models.UniqueConstraint(Lower("name"), Lower("city"), name="library_unique_name_city")
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.city}"


class UserQuerySet(models.QuerySet):
    def with_roles(self) -> UserQuerySet:
        """Each member's roles as one bit mask in the same query (accounts.roles.has_role
        reads it), so that permission checks on a page cost no query of their own.

        Written as SQL: the same subquery built with the ORM (three Exists) took ~1 ms per
        request to compile, more than the query itself (bench/)."""
        from accounts import roles

        memberships = Group.user_set.through._meta.db_table
        groups = Group._meta.db_table
        cases = " ".join(f"WHEN %s THEN {bit}" for bit in roles.BITS.values())
        # Only table names from our models go into the string; role names are parameters.
        sql = (
            f"SELECT COALESCE(SUM(CASE g.name {cases} ELSE 0 END), 0) "  # noqa: S608
            f"FROM {memberships} m JOIN {groups} g ON g.id = m.group_id "
            f"WHERE m.user_id = {self.model._meta.db_table}.id"
        )
        return self.annotate(roles_mask=RawSQL(sql, tuple(roles.BITS)))  # noqa: S611


class SerambiUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A Serambi member. Signs in by email; `username` is the @handle used in mentions."""

    # One display name instead of Django's first/last name: many Indonesians have one name.
    first_name = None
    last_name = None

    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("display name"), max_length=100)
    position = models.CharField(
        _("position"),
        max_length=100,
        blank=True,
        help_text=_("Your job title (jabatan), e.g. Pustakawan Ahli Pertama."),
    )
    library = models.ForeignKey(
        Library,
        verbose_name=_("library"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    bio = models.TextField(_("short bio"), max_length=1000, blank=True)
    language = models.CharField(
        _("language of emails"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )

    objects = SerambiUserManager()

    REQUIRED_FIELDS = ["email", "name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.name or self.username

    def get_absolute_url(self) -> str:
        return reverse_one("accounts:profile", "username", self.username)

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split()[0] if self.name.strip() else self.username

    @property
    def initials(self) -> str:
        words = (self.name or self.username).split()
        letters = [w[0] for w in words if w[0].isalnum()][:2]
        return "".join(letters).upper() or "?"

    @property
    def avatar_colour(self) -> int:
        # Stable per member, so the same person keeps the same colour on every page.
        digest = hashlib.blake2s(self.username.encode(), digest_size=2).digest()
        return int.from_bytes(digest, "big") % AVATAR_COLOURS
