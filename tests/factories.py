from __future__ import annotations

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from accounts import roles
from accounts.models import Library, User

PASSWORD = "kata-sandi-uji-7"


class LibraryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Library

    name = factory.Sequence(lambda n: f"Perpustakaan Uji {n}")
    kind = Library.Kind.PUBLIC
    city = "Lubuklinggau"
    province = "Sumatera Selatan"


class UserFactory(factory.django.DjangoModelFactory):
    """A member with a verified email; `librarian=True` adds the Librarians role."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"anggota{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@contoh.test")
    name = factory.Faker("name", locale="id_ID")
    position = "Pustakawan Ahli Pertama"
    library = factory.SubFactory(LibraryFactory)
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    @factory.post_generation
    def librarian(user, create, extracted, **kwargs):
        if create and extracted:
            user.groups.add(Group.objects.get(name=roles.LIBRARIANS))

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        if create and extracted:
            user.groups.add(Group.objects.get(name=extracted))
