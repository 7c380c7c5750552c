"""The production stack (compose.yaml, Dockerfile, .env.example, deploy/) stays valid and keeps
what a reviewer checks in it. No Docker engine runs here, so these tests read the files: the
Compose Specification's JSON schema (vendored by check-jsonschema) for validity, and the parsed
YAML for the promises made in DESIGN.md and .env.example."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from check_jsonschema.builtin_schemas import get_builtin_schema
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "compose.yaml"
ENV_EXAMPLE = ROOT / ".env.example"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
CADDYFILE = ROOT / "deploy" / "Caddyfile"

# The processes that run Serambi's own code, from the one image.
APP_SERVICES = ("web", "ws", "worker", "migrate")
# Compose must refuse to start without these: a default would be a shared, public value.
REQUIRED_VARIABLES = (
    "SITE_HOST",
    "SECRET_KEY",
    "POSTGRES_PASSWORD",
    "ELASTIC_PASSWORD",
    "EMAIL_URL",
    "DEFAULT_FROM_EMAIL",
    "ACME_EMAIL",
)
# Read by gunicorn itself, not by config/settings.py.
SERVER_VARIABLES = {"WEB_CONCURRENCY"}

# ${NAME}, ${NAME:-default}, ${NAME:?message} or $NAME, as (NAME, ":-default"). `$$` is a dollar
# sign left to the container's shell, not interpolated by compose.
INTERPOLATION = re.compile(r"\$\{([A-Za-z_]\w*)([^}]*)\}|\$([A-Za-z_]\w*)")
REQUIRED_INTERPOLATION = re.compile(r"\$\{[A-Za-z_]\w*:\?[^}]*\}")
SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|_KEY$", re.IGNORECASE)


def load_yaml(path: Path) -> Any:
    return YAML(typ="safe", pure=True).load(path)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return load_yaml(COMPOSE_FILE)


@pytest.fixture(scope="module")
def services(compose) -> dict[str, dict[str, Any]]:
    return compose["services"]


def strings(node: Any) -> Iterator[str]:
    """Every string in a parsed YAML tree, mapping keys included."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from strings(key)
            yield from strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from strings(item)
    elif isinstance(node, str):
        yield node


def interpolations(compose: dict[str, Any]) -> list[tuple[str, str]]:
    """(variable, modifier) for every interpolation compose performs, e.g. ("X", ":-1")."""
    found = []
    for text in strings(compose):
        for braced, modifier, bare in INTERPOLATION.findall(text.replace("$$", "")):
            found.append((braced or bare, modifier))
    return found


def interpolated_variables(compose: dict[str, Any]) -> set[str]:
    return {variable for variable, _ in interpolations(compose)}


def environment(service: dict[str, Any]) -> dict[str, str]:
    raw = service.get("environment") or {}
    if isinstance(raw, list):
        raw = dict(item.partition("=")[::2] for item in raw)
    return {
        key: str(value).lower() if isinstance(value, bool) else "" if value is None else str(value)
        for key, value in raw.items()
    }


def command(service: dict[str, Any]) -> str:
    raw = service.get("command", "")
    return " ".join(raw) if isinstance(raw, list) else raw


def is_one_shot(service: dict[str, Any]) -> bool:
    return service.get("restart") == "no"


def env_example() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if match := re.match(r"([A-Za-z_]\w*)=(.*)", line):
            values[match[1]] = match[2]
    return values


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined and comments left out."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    instructions = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, arguments = line.partition(" ")
            instructions.append((keyword.upper(), arguments.strip()))
    return instructions


# --- compose.yaml is a valid Compose file -------------------------------------------------------


def test_compose_file_is_valid_against_the_compose_specification(compose):
    schema = get_builtin_schema("vendor.compose-spec")
    validator_class = jsonschema.validators.validator_for(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    errors = [f"{error.json_path}: {error.message}" for error in validator.iter_errors(compose)]
    assert errors == []


# --- the services and how they start ------------------------------------------------------------


def test_stack_has_every_service_production_needs(services):
    assert set(services) >= {
        "proxy",
        "web",
        "ws",
        "worker",
        "search-worker",
        "migrate",
        "postgres",
        "redis",
        "elasticsearch",
    }


def test_app_services_run_gunicorn_daphne_the_task_worker_and_migrations(services):
    assert command(services["web"]).startswith("gunicorn ")
    assert command(services["web"]).endswith("config.wsgi:application")
    assert command(services["ws"]).startswith("daphne ")
    assert "--proxy-headers" in command(services["ws"])
    assert command(services["ws"]).endswith("config.asgi:application")
    assert command(services["worker"]).startswith("python manage.py db_worker")
    assert command(services["search-worker"]) == "python manage.py search_worker"
    assert command(services["migrate"]).startswith("sh -c python manage.py migrate --no-input")
    assert "search_reindex --if-empty" in command(services["migrate"])


def test_stores_run_the_major_versions_serambi_is_built_for(services):
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    assert re.search(
        r"elasticsearch:\$\{ELASTICSEARCH_VERSION:-9\.\d+\.\d+\}$",
        services["elasticsearch"]["image"],
    )


@pytest.mark.parametrize(("name", "variable"), [("web", "WEB_REPLICAS"), ("ws", "WS_REPLICAS")])
def test_web_and_ws_scale_by_replicas_read_from_env_with_a_default(services, name, variable):
    replicas = str(services[name]["deploy"]["replicas"])
    assert re.fullmatch(r"\$\{" + variable + r":-[1-9]\d*\}", replicas)


def test_only_migrate_is_one_shot(services):
    assert [name for name, service in services.items() if is_one_shot(service)] == ["migrate"]


def test_every_long_running_service_has_a_healthcheck_and_restarts(services):
    long_running = {name: s for name, s in services.items() if not is_one_shot(s)}
    without_healthcheck = [
        name
        for name, service in long_running.items()
        if not service.get("healthcheck", {}).get("test") or service["healthcheck"].get("disable")
    ]
    assert without_healthcheck == []
    not_restarting = [
        name
        for name, service in long_running.items()
        if service.get("restart") not in ("always", "unless-stopped")
    ]
    assert not_restarting == []


def test_migrate_runs_once_and_web_ws_worker_wait_for_it_to_succeed(services):
    assert services["migrate"]["restart"] == "no"
    assert services["migrate"]["depends_on"]["postgres"] == {"condition": "service_healthy"}
    for name in ("web", "ws", "worker", "search-worker"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }, name


def test_only_the_proxy_publishes_ports(services):
    assert [name for name, service in services.items() if service.get("ports")] == ["proxy"]


def test_proxy_sends_websockets_to_ws_and_everything_else_to_web(services):
    caddyfile = CADDYFILE.read_text()
    websockets = caddyfile.index("handle /ws/* {")
    everything_else = caddyfile.index("handle {", websockets)
    assert re.search(r"dynamic a ws 8001\b", caddyfile[websockets:everything_else])
    assert re.search(r"dynamic a web 8000\b", caddyfile[everything_else:])
    assert "--port=8001" in command(services["ws"])
    assert 'bind = "0.0.0.0:8000"' in (ROOT / "deploy" / "gunicorn.conf.py").read_text()


# --- data survives a re-created container -------------------------------------------------------


def volume_sources_and_targets(service: dict[str, Any]) -> dict[str, str]:
    """Mount target -> source, for the short syntax (source:target[:mode])."""
    mounts = {}
    for volume in service.get("volumes", []):
        source, target = volume.split(":")[:2]
        mounts[target] = source
    return mounts


def test_stateful_services_keep_their_data_in_named_volumes(compose, services):
    assert set(compose["volumes"]) >= {"postgres", "elasticsearch", "caddy_data", "media"}
    assert (
        volume_sources_and_targets(services["postgres"])["/var/lib/postgresql/data"] == "postgres"
    )
    assert (
        volume_sources_and_targets(services["elasticsearch"])["/usr/share/elasticsearch/data"]
        == "elasticsearch"
    )
    assert volume_sources_and_targets(services["proxy"])["/data"] == "caddy_data"


@pytest.mark.parametrize("name", ["web", "ws", "worker"])
def test_uploads_are_written_to_the_media_volume(services, name):
    media_root = environment(services[name])["MEDIA_ROOT"]
    assert volume_sources_and_targets(services[name])[media_root] == "media"


def test_files_mounted_into_containers_exist_in_the_repository(services):
    missing = [
        source
        for service in services.values()
        for source in volume_sources_and_targets(service).values()
        if source.startswith(".") and not (ROOT / source).exists()
    ]
    assert missing == []


# --- settings and secrets -----------------------------------------------------------------------


def test_app_services_share_one_environment(services):
    settings_names = {
        name: environment(services[name]).keys() - SERVER_VARIABLES for name in APP_SERVICES
    }
    assert all(names == settings_names["migrate"] for names in settings_names.values()), (
        settings_names
    )


def test_app_environment_sets_only_variables_serambi_reads(services):
    source = "\n".join(path.read_text() for path in (ROOT / "config").rglob("*.py"))
    read_by_settings = set(re.findall(r"\benv(?:_bool|_int|_list)?\(\s*\"(\w+)\"", source))
    unknown = environment(services["web"]).keys() - read_by_settings - SERVER_VARIABLES
    assert unknown == set()


def test_app_runs_in_production_mode_behind_the_tls_proxy(services):
    settings = environment(services["web"])
    assert settings["DEBUG"] == "0"
    assert settings["HTTPS"] == "1"
    assert settings["TRUST_PROXY_HEADERS"] == "1"
    assert settings["TASKS_BACKEND"] == "database"
    assert settings["DATABASE_URL"].startswith("postgres://")
    assert settings["REDIS_URL"].startswith("redis://redis:")


def test_elasticsearch_runs_with_security_on_and_its_password_from_env(services):
    settings = environment(services["elasticsearch"])
    assert settings["discovery.type"] == "single-node"
    assert settings["xpack.security.enabled"] == "true"
    assert REQUIRED_INTERPOLATION.fullmatch(settings["ELASTIC_PASSWORD"])
    app_url = environment(services["web"])["ELASTICSEARCH_URL"]
    assert app_url.startswith("http://elastic:${ELASTIC_PASSWORD:?")
    assert "$${ELASTIC_PASSWORD}" in " ".join(services["elasticsearch"]["healthcheck"]["test"])


def test_compose_file_holds_no_literal_secrets(compose, services):
    literal = [
        f"{name}: {key}"
        for name, service in services.items()
        for key, value in environment(service).items()
        if SECRET_NAME.search(key) and not REQUIRED_INTERPOLATION.fullmatch(value)
    ]
    # Passwords inside URLs (scheme://user:password@host) must be interpolated too.
    for text in strings(compose):
        without_variables = re.sub(r"\$\{[^}]*\}", "<variable>", text)
        for userinfo in re.findall(r"://([^/\s@]*)@", without_variables):
            if userinfo.partition(":")[2] not in ("", "<variable>"):
                literal.append(text)
    assert literal == []


@pytest.mark.parametrize("variable", REQUIRED_VARIABLES)
def test_compose_refuses_to_start_without_a_required_variable(compose, variable):
    modifiers = [modifier for name, modifier in interpolations(compose) if name == variable]
    assert modifiers, f"{variable} is not used"
    assert all(modifier.startswith(":?") for modifier in modifiers), modifiers


# --- .env.example -------------------------------------------------------------------------------


def test_every_variable_compose_interpolates_is_documented_in_env_example(compose):
    assert sorted(interpolated_variables(compose) - env_example().keys()) == []


def test_env_example_documents_no_variable_compose_ignores(compose):
    assert sorted(env_example().keys() - interpolated_variables(compose)) == []


def test_every_setting_in_env_example_is_explained_by_a_comment():
    unexplained, previous = [], ""
    for line in ENV_EXAMPLE.read_text().splitlines():
        if match := re.match(r"([A-Za-z_]\w*)=", line):
            if not previous.startswith("#"):
                unexplained.append(match[1])
        else:
            previous = line
    assert unexplained == []


def test_env_example_leaves_every_required_value_empty():
    # A placeholder would start the stack with a value known to everyone who read this file.
    example = env_example()
    assert {variable: example[variable] for variable in REQUIRED_VARIABLES} == dict.fromkeys(
        REQUIRED_VARIABLES, ""
    )


# --- the image ----------------------------------------------------------------------------------


def test_dockerfile_installs_the_runtime_lock_not_the_dev_lock():
    instructions = dockerfile_instructions()
    installs = [
        args for keyword, args in instructions if keyword == "RUN" and "pip install" in args
    ]
    assert installs
    assert all("-r requirements.lock" in args and "--no-cache-dir" in args for args in installs)
    assert not any("requirements-dev" in args for _, args in instructions)


def test_dockerfile_runs_as_a_non_root_user():
    instructions = dockerfile_instructions()
    users = [args for keyword, args in instructions if keyword == "USER"]
    assert users
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")
    created = r"\b(useradd|adduser)\b.*\b" + re.escape(user) + r"\b"
    assert any(keyword == "RUN" and re.search(created, args) for keyword, args in instructions)


def test_image_is_built_with_translations_and_static_files():
    runs = " ".join(args for keyword, args in dockerfile_instructions() if keyword == "RUN")
    assert "pybabel compile" in runs
    assert "manage.py collectstatic --no-input" in runs


def test_docker_build_context_leaves_out_the_env_file_and_the_virtualenv():
    patterns = {
        line.strip()
        for line in DOCKERIGNORE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".env", ".venv", ".git"} <= patterns
