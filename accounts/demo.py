"""Demo content for `manage.py seed_demo`: the libraries around Lubuklinggau and a member for
each role. Idempotent: what exists is left as it is (passwords included)."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import transaction

from accounts import roles
from accounts.models import Library, User

DEMO_PASSWORD = "serambi-demo"  # noqa: S105 - printed on the console by design

LIBRARIES = [
    ("Perpustakaan Kota Lubuklinggau", Library.Kind.PUBLIC, "Lubuklinggau"),
    ("Dinas Perpustakaan Provinsi Sumatera Selatan", Library.Kind.PUBLIC, "Palembang"),
    ("Perpustakaan Kabupaten Musi Rawas", Library.Kind.PUBLIC, "Musi Rawas"),
    ("Perpustakaan SMA Negeri 1 Lubuklinggau", Library.Kind.SCHOOL, "Lubuklinggau"),
    ("Perpustakaan SMP Negeri 2 Lubuklinggau", Library.Kind.SCHOOL, "Lubuklinggau"),
    ("Perpustakaan Universitas PGRI Silampari", Library.Kind.UNIVERSITY, "Lubuklinggau"),
    ("Perpustakaan Desa Sumber Harta", Library.Kind.VILLAGE, "Musi Rawas"),
    ("Perpustakaan RSUD Siti Aisyah", Library.Kind.SPECIAL, "Lubuklinggau"),
]

# username, display name, position, library, extra roles, superuser
MEMBERS = [
    ("admin", "Admin Serambi", "Administrator sistem", 0, [], True),
    ("rahmat", "Rahmat Hidayat", "Pustakawan Ahli Madya", 0, [roles.MODERATORS], False),
    ("dewi", "Dewi Lestari", "Pustakawan Ahli Muda", 1, [roles.EDITORS], False),
    ("sari", "Sari Wulandari", "Pustakawan Ahli Pertama", 0, [], False),
    ("budi", "Budi Santoso", "Guru pustakawan", 3, [], False),
    ("nurhayati", "Nurhayati", "Pengelola perpustakaan desa", 6, [], False),
    ("andi", "Andi Pratama", "Pustakawan Terampil", 5, [], False),
    ("rina", "Rina Marlina", "Koordinator pembinaan pustakawan", 0, [roles.COORDINATORS], False),
]


def _library(name: str, kind: str, city: str) -> tuple[Library, bool]:
    return Library.objects.get_or_create(
        name=name, city=city, defaults={"kind": kind, "province": "Sumatera Selatan"}
    )


def _member(username, name, position, library, extra_roles, superuser) -> tuple[User, bool]:
    email = f"{username}@serambi.test"
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "email": email,
            "name": name,
            "position": position,
            "library": library,
            "is_staff": superuser,
            "is_superuser": superuser,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        user.groups.add(*Group.objects.filter(name__in=[roles.LIBRARIANS, *extra_roles]))
    return user, created


@transaction.atomic
def seed(*, out) -> list[str]:
    libraries = []
    new_libraries = 0
    for name, kind, city in LIBRARIES:
        library, created = _library(name, kind, city)
        libraries.append(library)
        new_libraries += created
    out(f"libraries: {len(libraries)} ({new_libraries} new)")

    lines = []
    new_members = 0
    for username, name, position, library_index, extra_roles, superuser in MEMBERS:
        user, created = _member(
            username, name, position, libraries[library_index], extra_roles, superuser
        )
        new_members += created
        role = "administrator" if superuser else ", ".join(extra_roles) or roles.LIBRARIANS
        lines.append(f"  {user.email:<26} {role}")
    out(f"members: {len(MEMBERS)} ({new_members} new)")
    return [
        f"Demo accounts: sign in with the email and the password {DEMO_PASSWORD!r}",
        "(a password changed since the first seeding is kept):",
        *lines,
    ]
