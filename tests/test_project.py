"""The repository keeps its promises: pins agree, translations are complete, migrations are
all written."""

from __future__ import annotations

import re
import tomllib
from io import StringIO
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.core.management import call_command
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def locked(name: str) -> dict[str, str]:
    pins = {}
    for line in (ROOT / name).read_text().splitlines():
        if line and not line.startswith("#"):
            package, version = line.split("==")
            pins[package.lower().replace("_", "-")] = version
    return pins


def direct_pins(group: str) -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = project["dependencies"]
    if group == "dev":
        specs = specs + project["optional-dependencies"]["dev"]
    pins = {}
    for spec in specs:
        requirement = Requirement(spec)
        [specifier] = requirement.specifier
        assert specifier.operator == "==", f"{spec} is not an exact pin"
        pins[requirement.name.lower().replace("_", "-")] = specifier.version
    return pins


@pytest.mark.parametrize(
    ("lock", "group"), [("requirements.lock", "runtime"), ("requirements-dev.lock", "dev")]
)
def test_lock_files_hold_the_exact_pins_of_pyproject(lock, group):
    pins = locked(lock)
    for name, version in direct_pins(group).items():
        assert pins.get(name) == version, f"{name}: pyproject {version}, {lock} {pins.get(name)}"


@pytest.mark.parametrize(
    "catalogue",
    [
        "locale/id/LC_MESSAGES/django.po",  # Serambi's own strings
        "locale/wagtail/id/LC_MESSAGES/django.po",  # what Wagtail's id_ID leaves out
        "locale/wagtail/id/LC_MESSAGES/djangojs.po",
    ],
)
def test_indonesian_translation_is_complete(catalogue):
    with (ROOT / catalogue).open("rb") as po:
        catalog = read_po(po)
    untranslated = [m.id for m in catalog if m.id and not m.string]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)


def test_the_test_run_keeps_uploads_out_of_the_checkout(settings):
    media = Path(settings.MEDIA_ROOT).resolve()

    assert not media.is_relative_to(ROOT)
    assert media.is_dir()


def test_the_readme_states_the_defaults_the_settings_use(settings):
    readme = (ROOT / "README.md").read_text()
    row = re.search(r"^\| `DATABASE_CONN_MAX_AGE` \|.*\| (\d+) \|$", readme, re.M)

    assert row, "README.md no longer documents DATABASE_CONN_MAX_AGE"
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] == int(row.group(1))
