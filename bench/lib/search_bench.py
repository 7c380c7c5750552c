"""What bench/relevance.py and bench/search.py share: a search server, a throwaway database per
measured engine, and one child process per database.

Django reads its settings once per process, so a script that measures SQLite and PostgreSQL in
one run measures each in a child process of its own (`run_child`): the parent starts the search
server and prepares the databases, each child migrates its database, sets Django up on it and
writes its figures as JSON for the parent to print.

The search server is osmem-server (an in-memory OpenSearch-compatible server from PyPI),
started the way tests/search/elasticsearch_server.py starts it, or the real Elasticsearch named
by ELASTICSEARCH_URL. osmem answers the 9.x client's compatibility media types with 406, so the
children talk to it through the tests' PlainMediaTypeNode, as the tests do; a real server gets
the client as production builds it.
"""

from __future__ import annotations

import json
import logging
import os
import re
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bench.lib.report import detail, step
from bench.lib.server import ROOT, ServerError, Site, manage, site_env

# Databases a bench never creates, fills or drops, whatever --database-url says.
PROTECTED_DATABASES = {"test", "postgres", "template0", "template1", "serambi_bench_prog"}
CHILD_STOP_TIMEOUT = 10.0


# --- The search server (in the parent) ---------------------------------------------------------


@dataclass(frozen=True)
class SearchServer:
    url: str
    label: str  # what the summary names: "osmem-server 0.1.6 (in memory)"
    osmem: bool  # talk to it through PlainMediaTypeNode


@contextmanager
def search_server() -> Iterator[SearchServer | None]:
    """ELASTICSEARCH_URL's server when it is set, else osmem-server on a free loopback port,
    stopped on exit; None (and a line saying why) when osmem does not start here."""
    url = os.environ.get("ELASTICSEARCH_URL")
    if url:
        shown = re.sub(r"//[^/@]*@", "//", url)
        step(f"using the Elasticsearch at ELASTICSEARCH_URL ({shown})")
        yield SearchServer(url=url, label=f"Elasticsearch at {shown}", osmem=False)
        return
    from osmem_server import OsmemError, OsmemServer

    try:
        # --parent-pid (always passed): the server exits with this process, however it ends.
        osmem = OsmemServer.start(japanese=False, addr="127.0.0.1:0")
    except (OsmemError, OSError) as error:
        step(f"osmem-server does not start here ({error}): no Elasticsearch figures")
        detail("set ELASTICSEARCH_URL to measure a real Elasticsearch instead")
        yield None
        return
    from importlib.metadata import version

    label = f"osmem-server {version('osmem-server')}"
    step(f"started {label} (in memory, OpenSearch {osmem.version} API) at {osmem.url}")
    try:
        yield SearchServer(url=osmem.url, label=label, osmem=True)
    finally:
        osmem.close()
        if osmem.process.stdout is not None:
            osmem.process.stdout.close()  # close() leaves the pipe it read the address from


# --- Databases (in the parent) -----------------------------------------------------------------


def database_label(url: str) -> str:
    return "PostgreSQL" if urlsplit(url).scheme.startswith("postgres") else "SQLite"


def _admin(url: str):
    import psycopg

    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ServerError(f"--database-url: a postgres:// address, not {parts.scheme}://")
    name = parts.path.lstrip("/")
    if not name or name in PROTECTED_DATABASES:
        raise ServerError(f"--database-url: refusing to use the database {name!r}; name another")
    return psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True), name


def postgres_comment(url: str) -> str | None:
    """The comment of the database `url` names; None when it does not exist."""
    admin, name = _admin(url)
    with admin:
        row = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
    return None if row is None else (row[0] or "")


def postgres_create(url: str, *, marker: str, comment: str) -> None:
    """Create the database anew, dropping an older one only if its comment starts with
    `marker` (this script made it): never a database someone else uses."""
    from psycopg import sql

    existing = postgres_comment(url)
    admin, name = _admin(url)
    with admin:
        if existing is not None:
            if not existing.startswith(marker):
                raise ServerError(
                    f"the database {name!r} exists and was not made by this script "
                    f"(its comment is {existing!r}); name another in --database-url"
                )
            step(f"dropping the old bench database {name!r}")
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        postgres_mark(url, comment, admin=admin)


def postgres_mark(url: str, comment: str, *, admin=None) -> None:
    from psycopg import sql

    own, name = _admin(url) if admin is None else (None, urlsplit(url).path.lstrip("/"))
    connection = admin or own
    try:
        connection.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(name), sql.Literal(comment)
            )
        )
    finally:
        if own is not None:
            own.close()


def postgres_drop(url: str, *, marker: str) -> None:
    """Drop the database if this script made it."""
    from psycopg import sql

    existing = postgres_comment(url)
    if existing is None or not existing.startswith(marker):
        return
    admin, name = _admin(url)
    with admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
    step(f"dropped the database {name!r}")


# --- Child processes ---------------------------------------------------------------------------


def run_child(script: Path, spec: dict) -> dict:
    """Run `script --child SPEC` (one database's measurements) and return the JSON it wrote.
    Its progress lines go to our stdout; it is stopped if we are."""
    with tempfile.TemporaryDirectory(prefix="serambi-bench-child-") as folder:
        spec_path, out_path = Path(folder) / "spec.json", Path(folder) / "out.json"
        spec_path.write_text(json.dumps({**spec, "output": str(out_path)}), encoding="utf-8")
        command = [sys.executable, str(script), "--child", str(spec_path)]
        child = subprocess.Popen(command, cwd=ROOT)
        try:
            status = child.wait()
        finally:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
                try:
                    child.wait(timeout=CHILD_STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    child.kill()
                    child.wait()
        if status != 0 or not out_path.exists():
            raise ServerError(f"the measurement on {spec.get('label', script.name)} failed")
        return json.loads(out_path.read_text(encoding="utf-8"))


def read_spec(path: str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def write_output(spec: dict, data: dict) -> None:
    Path(spec["output"]).write_text(json.dumps(data), encoding="utf-8")


# --- Inside a child ----------------------------------------------------------------------------


def child_site(database_url: str, workdir: Path, *, server: dict | None, prefix: str) -> Site:
    """Migrate the database and set Django up on it, with the search server (if any) under an
    index prefix of this run's own."""
    env = site_env(workdir, database_url)
    env.pop("ELASTICSEARCH_URL", None)
    if server:
        env["ELASTICSEARCH_URL"] = server["url"]
        env["ELASTICSEARCH_INDEX_PREFIX"] = prefix
    env["SEARCH_INDEXING"] = "worker"  # nothing here records changes; reindexing is explicit
    step(f"migrating the {database_label(database_url)} database")
    manage(env, "migrate", "--no-input", "-v", "0")
    site = Site(env=env, workdir=workdir)
    from bench.lib import django_site

    django_site.setup_django(site)
    # The client logs every request at INFO, and every timeout of a slow server as a warning;
    # the scripts count what matters (searches that fell back) and say it once.
    logging.getLogger("elastic_transport").setLevel(logging.ERROR)
    return site


def close_connections() -> None:
    """Close Django's connections, if Django was set up at all (a child stopped early)."""
    from django.conf import settings

    if settings.configured:
        from django.db import connections

        connections.close_all()


def install_elasticsearch(server: dict, prefix: str):
    """The Elasticsearch backend the service uses, on our server and prefix (osmem through the
    tests' client node); its index created."""
    from elasticsearch import Elasticsearch

    from search import backends
    from search.backends.elasticsearch import ElasticsearchBackend

    if server["osmem"]:
        from tests.search.elasticsearch_server import PlainMediaTypeNode

        client = Elasticsearch(server["url"], node_class=PlainMediaTypeNode, request_timeout=30)
    else:
        client = Elasticsearch(server["url"], request_timeout=30)
    # The backend's own search timeout (2 s) stays: a slower answer falls back to the database,
    # as on the site, and the scripts count such fallbacks.
    backend = ElasticsearchBackend(server["url"], index_prefix=prefix, client=client)
    backends.use_elasticsearch(backend, url=server["url"], prefix=prefix)
    backend.ensure_index()
    return backend, client


def drop_indexes(client, prefix: str) -> None:
    """Delete the prefix's indexes by name (a real Elasticsearch refuses wildcards); a server
    too busy to answer is said so, not raised: the figures are written already, and osmem
    forgets everything when it stops."""
    from elastic_transport import TransportError
    from elasticsearch import ApiError

    try:
        names = list(client.options(request_timeout=120).indices.get_alias(index=f"{prefix}-*"))
        if names:
            client.options(request_timeout=120).indices.delete(index=",".join(names))
    except (ApiError, TransportError) as error:
        detail(f"could not delete the indexes {prefix}-* ({error}); delete them by hand")


@dataclass(frozen=True)
class Engine:
    """One measured backend: its name in the tables, and the service's backend object."""

    name: str  # "database", "elasticsearch"
    label: str  # "SQLite FTS5", "PostgreSQL full-text", "osmem-server 0.1.6 (in memory)"

    def as_dict(self) -> dict:
        return asdict(self)


def engines(server: dict | None) -> list[tuple[Engine, object]]:
    """The backends to measure in this child, each with the service's backend object."""
    from django.db import connection

    from search import backends

    database = {"sqlite": "SQLite FTS5", "postgresql": "PostgreSQL full-text"}[connection.vendor]
    found: list[tuple[Engine, object]] = [
        (Engine("database", database), backends.database_backend())
    ]
    elasticsearch = backends.elasticsearch_backend()
    if server and elasticsearch is not None:
        found.append((Engine("elasticsearch", server["label"]), elasticsearch))
    return found
