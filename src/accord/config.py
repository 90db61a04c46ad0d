"""config.yaml -> one validated, typed settings object.

The packaged defaults (defaults.yaml) sit under the user's file: a config may give only some keys.
A missing file, an unknown key or a bad value raises ConfigError naming the key and what was expected.
Paths in the file are relative to the file's own folder.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from accord.errors import ConfigError


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OutletConfig(_Strict):
    name: str = Field(min_length=1)
    feeds: list[str] = []
    sitemaps: list[str] = []
    snapshot: Path | None = None

    @model_validator(mode="after")
    def _has_a_source(self) -> OutletConfig:
        if not (self.feeds or self.sitemaps or self.snapshot):
            raise ValueError(f"outlet {self.name!r} needs at least one of feeds, sitemaps or snapshot")
        return self


class FetchConfig(_Strict):
    user_agent: str = "accord/0.1"
    connect_timeout: float = Field(10.0, gt=0)
    read_timeout: float = Field(20.0, gt=0)
    total_timeout: float = Field(30.0, gt=0)
    max_bytes: int = Field(5_000_000, gt=0)
    per_host_delay: float = Field(1.0, ge=0)
    per_host_concurrency: int = Field(2, ge=1)
    retries: int = Field(3, ge=0)
    backoff: float = Field(1.0, ge=0)
    max_retry_after: float = Field(60.0, ge=0)
    max_redirects: int = Field(5, ge=0)
    allow_private_addresses: bool = False
    max_pages_per_feed: int = Field(50, ge=1)


class ScheduleConfig(_Strict):
    cron: str | None = None
    interval_minutes: float | None = Field(60, gt=0)

    @field_validator("cron")
    @classmethod
    def _valid_cron(cls, value: str | None) -> str | None:
        if value is None:
            return value
        if len(value.split()) != 5:
            raise ValueError(f"{value!r} is not a five-field cron expression such as '*/30 * * * *'")
        # the same check Prefect's CronSchedule makes when `accord serve` builds the schedule (imports Prefect,
        # so only for a config that sets a cron)
        from prefect._internal.schemas.validators import validate_cron_string

        try:
            validate_cron_string(value)
        except ValueError:
            raise ValueError(
                f"{value!r} is not a valid cron expression (fields: minute hour day month weekday)"
            ) from None
        return value


class ServeConfig(_Strict):
    """`accord serve`: where the local Prefect server it starts listens (its UI and API)."""

    host: str = Field("127.0.0.1", min_length=1)
    port: int = Field(4200, ge=1, le=65535)


class DedupStorageConfig(_Strict):
    """Where the copy index's LSH lives: in the process (rebuilt from stored signatures) or in Redis (persistent)."""

    type: Literal["memory", "redis"] = "memory"
    host: str = "127.0.0.1"
    port: int = Field(6379, ge=1, le=65535)
    db: int = Field(0, ge=0)
    basename: str = Field("accord", min_length=1)
    password_env: str | None = None  # name of an environment variable holding the Redis password

    def storage_config(self, namespace: str) -> dict[str, Any]:
        """Return datasketch's `storage_config` for this Redis, its keys under `<basename>:<namespace>`."""
        redis: dict[str, Any] = {"host": self.host, "port": self.port, "db": self.db}
        if self.password_env:
            value = os.environ.get(self.password_env)
            if not value:
                raise ConfigError(f"dedup.storage: environment variable {self.password_env} is not set")
            redis["password"] = value
        return {"type": "redis", "basename": f"{self.basename}:{namespace}".encode(), "redis": redis}


class DedupConfig(_Strict):
    num_perm: int = Field(128, ge=16, le=1024)
    shingle: int = Field(3, ge=1, le=10)
    threshold: float = Field(0.3, gt=0.0, le=1.0)
    seed: int = 1
    storage: DedupStorageConfig = DedupStorageConfig()


class RunnerConfig(_Strict):
    """How the flows run their tasks: in this process, or spread over a Dask cluster (prefect-dask)."""

    kind: Literal["local", "dask"] = "local"
    address: str | None = None  # a running scheduler, "tcp://host:8786"; null with dask -> a LocalCluster
    n_workers: int | None = Field(None, ge=1)  # for the LocalCluster started when address is null
    threads_per_worker: int | None = Field(None, ge=1)
    chunk: int = Field(500, ge=1)  # reports per task when extraction and embedding are spread out


class ClusterConfig(BaseModel):
    """`model` and its `precision`, plus the tuning keys of accord.cluster.ClusterSettings (checked when the stage
    starts)."""

    model_config = ConfigDict(extra="allow", frozen=True)
    model: str | None = None
    precision: Literal["auto", "float32", "bfloat16", "int8"] = "auto"


class ChannelConfig(_Strict):
    kind: Literal["webhook", "apprise", "file"]
    url: str | None = None
    url_env: str | None = None
    path: Path | None = None
    name: str | None = None

    @model_validator(mode="after")
    def _target(self) -> ChannelConfig:
        if self.kind == "file" and self.path is None:
            raise ValueError("a file channel needs 'path'")
        if self.kind != "file" and not (self.url or self.url_env):
            raise ValueError(f"a {self.kind} channel needs 'url' or 'url_env' (an environment variable holding it)")
        return self

    @property
    def label(self) -> str:
        return self.name or (f"file:{self.path}" if self.kind == "file" else f"{self.kind}:{self.url_env or 'url'}")

    def resolve_url(self) -> str:
        """Return the delivery URL, reading secrets from the environment; raise ConfigError when unset."""
        if self.url_env:
            value = os.environ.get(self.url_env)
            if not value:
                raise ConfigError(f"alerts.channels: environment variable {self.url_env} is not set")
            return value
        assert self.url is not None
        return self.url


class AlertsConfig(_Strict):
    min_divergence: float = Field(0.5, ge=0.0, le=1.0)
    min_voices: int = Field(2, ge=1)
    actors: list[str] = []
    grades: list[str] = ["divergent", "contested"]
    escalation_step: float = Field(0.2, gt=0.0, le=1.0)
    channels: list[ChannelConfig] = []
    max_attempts: int = Field(5, ge=1)


class ActorConfig(_Strict):
    id: str = Field(min_length=1)
    name: str | None = None
    aliases: list[str] = []
    countries: list[str] = []
    parent: str | None = None
    state: bool = False
    generic: bool = False
    allies: list[str] = []
    replace: bool = False


class Settings(_Strict):
    database: Path
    published: Path | None = None
    report: Path
    outlets: list[OutletConfig] = []
    opml: list[Path] = []
    actors: list[ActorConfig] | None = None
    fetch: FetchConfig = FetchConfig()
    schedule: ScheduleConfig = ScheduleConfig()
    serve: ServeConfig = ServeConfig()
    dedup: DedupConfig = DedupConfig()
    cluster: ClusterConfig = ClusterConfig()
    runner: RunnerConfig = RunnerConfig()
    agreement: dict[str, Any] = {}
    alerts: AlertsConfig = AlertsConfig()

    @property
    def published_path(self) -> Path:
        """Return where the analyst's read-only copy of the database is published."""
        return self.published or self.database.with_name(f"{self.database.stem}-published{self.database.suffix}")

    @model_validator(mode="after")
    def _unique_outlets(self) -> Settings:
        names = [o.name for o in self.outlets]
        duplicated = sorted({n for n in names if names.count(n) > 1})
        if duplicated:
            raise ValueError(f"outlet names must be unique; repeated: {', '.join(duplicated)}")
        return self


def _defaults() -> dict[str, Any]:
    text = resources.files("accord").joinpath("defaults.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _rebase(path: Path | None, root: Path) -> Path | None:
    if path is None:
        return None
    path = Path(os.path.expandvars(str(path))).expanduser()
    return path if path.is_absolute() else root / path


def _describe(error: ValidationError, source: str) -> str:
    """One line per problem, each naming the file and the key."""
    lines = []
    for item in error.errors():
        key = ".".join(str(part) for part in item["loc"]) or "(top level)"
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "unknown key"
        lines.append(f"{source}: {key}: {message}")
    return "\n".join(lines)


_SCALARS: dict[str, tuple[type, ...]] = {"float": (int, float), "int": (int,), "bool": (bool,), "str": (str,)}


def _section_problems(cls: type, values: Any, section: str) -> list[str]:
    """Check a section's keys and value types against the dataclass that will take them, then build it (its own
    checks run); return one line per problem, each naming the key."""
    import dataclasses
    import difflib

    if not isinstance(values, dict):
        return [f"{section}: expected a mapping of keys, got {type(values).__name__}"]
    fields = {f.name: f for f in dataclasses.fields(cls)}
    problems, options = [], {}
    for key, value in values.items():
        field = fields.get(key)
        if field is None:
            near = difflib.get_close_matches(str(key), fields, n=1)
            hint = f" (did you mean {near[0]}?)" if near else f" (known keys: see {cls.__module__}.{cls.__name__})"
            problems.append(f"{section}.{key}: unknown key{hint}")
            continue
        kind = field.type if isinstance(field.type, str) else getattr(field.type, "__name__", "")
        if kind in _SCALARS:
            allowed = _SCALARS[kind]
            if not isinstance(value, allowed) or (kind != "bool" and isinstance(value, bool)):
                problems.append(f"{section}.{key}: expected {kind}, got {value!r}")
                continue
        elif dataclasses.is_dataclass(field.default):
            nested = _section_problems(type(field.default), value, f"{section}.{key}")
            if nested:
                problems.extend(nested)
                continue
            value = type(field.default)(**value)
        options[key] = value
    if not problems:
        try:
            cls(**options)
        except (TypeError, ValueError) as error:
            problems.append(f"{section}: {error}")
    return problems


def _path_problem(path: Path | None, key: str) -> str | None:
    """Return why `path` cannot be a file accord writes (a directory, under a file), or None."""
    if path is None:
        return None
    if path.is_dir():
        return f"{key}: {path} is a directory, expected a file path"
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        return f"{key}: cannot create {path}: {parent} is not a directory"
    return None


def _load_problems(settings: Settings) -> list[str]:
    """Problems pydantic's field checks cannot see: the tuning sections' keys, paths, unset secrets."""
    problems: list[str] = []
    from accord.agreement import AgreementSettings
    from accord.cluster import ClusterSettings

    problems += _section_problems(ClusterSettings, dict(settings.cluster.model_extra or {}), "cluster")
    problems += _section_problems(AgreementSettings, settings.agreement, "agreement")
    paths = {"database": settings.database, "published": settings.published, "report": settings.report}
    for n, channel in enumerate(settings.alerts.channels):
        if channel.kind == "file":
            paths[f"alerts.channels.{n}.path"] = channel.path
        if channel.url_env and not os.environ.get(channel.url_env):
            problems.append(
                f"alerts.channels.{n}.url_env: environment variable {channel.url_env} is not set "
                f"(it holds the {channel.kind} URL of channel {channel.label!r})"
            )
    for key, path in paths.items():
        problem = _path_problem(path, key)
        if problem:
            problems.append(problem)
    storage = settings.dedup.storage
    if storage.type == "redis" and storage.password_env and not os.environ.get(storage.password_env):
        problems.append(f"dedup.storage.password_env: environment variable {storage.password_env} is not set")
    return problems


def _opml_outlets(files: list[Path | None], taken: set[str], source: str) -> list[OutletConfig]:
    """Return the outlets of OPML subscription lists; an outlet already named in `outlets` is left as configured."""
    if not files:
        return []
    from accord.sources.errors import OPMLError
    from accord.sources.opml import load_opml

    found: list[OutletConfig] = []
    for file in files:
        assert file is not None
        try:
            imported = load_opml(file)
        except OPMLError as error:
            raise ConfigError(f"{source}: opml: {error}") from None
        for outlet in imported:
            if outlet.name not in taken:
                taken.add(outlet.name)
                found.append(OutletConfig(name=outlet.name, feeds=list(outlet.feeds)))
    return found


def settings_from_dict(data: dict[str, Any], root: Path, source: str = "configuration") -> Settings:
    """Validate a configuration mapping over the packaged defaults; relative paths resolve against `root`.

    Raises ConfigError with one line per problem, each naming `source` and the key."""
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: expected a mapping of keys at the top level, got {type(data).__name__}")
    try:
        settings = Settings.model_validate(_merge(_defaults(), data))
    except ValidationError as error:
        raise ConfigError(_describe(error, source)) from None
    outlets = [o.model_copy(update={"snapshot": _rebase(o.snapshot, root)}) for o in settings.outlets]
    opml_files = [_rebase(p, root) for p in settings.opml]
    outlets.extend(_opml_outlets(opml_files, {o.name for o in outlets}, source))
    channels = [c.model_copy(update={"path": _rebase(c.path, root)}) for c in settings.alerts.channels]
    settings = settings.model_copy(
        update={
            "database": _rebase(settings.database, root),
            "published": _rebase(settings.published, root),
            "report": _rebase(settings.report, root),
            "outlets": outlets,
            "alerts": settings.alerts.model_copy(update={"channels": channels}),
        }
    )
    problems = _load_problems(settings)
    if problems:
        raise ConfigError("\n".join(f"{source}: {problem}" for problem in problems))
    return settings


def load_settings(path: str | Path) -> Settings:
    """Read and validate a config file. Raises ConfigError, one line per problem naming the file and the key: a
    missing, unreadable or non-UTF-8 file, bad YAML, an unknown key or bad value in any section (the tuning keys of
    `cluster` and `agreement` included), a path that is a directory, an unset secret variable."""
    path = Path(path)
    if path.is_dir():
        raise ConfigError(f"configuration file {path} is a directory")
    if not path.is_file():
        raise ConfigError(f"configuration file not found: {path}")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ConfigError(f"cannot read configuration file {path}: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ConfigError(
            f"{path}:{line}: not UTF-8 text (byte 0x{raw[error.start]:02x}); save the file as UTF-8"
        ) from None
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        at = f":{where.line + 1}" if where is not None else ""
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise ConfigError(f"{path}{at}: not valid YAML: {reason}") from None
    return settings_from_dict(data, path.resolve().parent, source=str(path))


# --- checks before work starts (accord run / serve / report): the environment the configuration points at ---


def _writable_problem(path: Path | None, key: str) -> str | None:
    """Return why accord cannot write `path` (a directory, under a file, no permission), or None."""
    if path is None:
        return None
    problem = _path_problem(path, key)
    if problem:
        return problem
    # a real probe: os.access answers yes to root for files no one can write (/proc, read-only mounts)
    if path.exists():
        try:
            with open(path, "ab"):
                pass
        except OSError as error:
            return f"{key}: {path} is not writable ({error.strerror or error})"
        return None
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    import tempfile

    try:
        with tempfile.TemporaryFile(dir=parent):
            pass
    except OSError as error:
        return f"{key}: cannot create {path}: {parent} is not writable ({error.strerror or error})"
    return None


def _connect_problem(host: str, port: int, what: str, timeout: float) -> str | None:
    import socket

    try:
        with socket.create_connection((host, port), timeout=timeout):
            return None
    except OSError as error:
        reason = "timed out" if isinstance(error, TimeoutError) else (error.strerror or str(error))
        return f"{what}: cannot connect to {host}:{port} ({reason})"


def _dask_address(address: str) -> tuple[str, int]:
    from urllib.parse import urlsplit

    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    return parts.hostname or "127.0.0.1", parts.port or 8786


def _redis_problem(storage: DedupStorageConfig, timeout: float) -> str | None:
    import redis

    password = os.environ.get(storage.password_env) if storage.password_env else None
    client = redis.Redis(
        host=storage.host,
        port=storage.port,
        db=storage.db,
        password=password,
        socket_connect_timeout=timeout,
        socket_timeout=timeout,
    )
    try:
        client.ping()
    except redis.RedisError as error:
        return f"dedup.storage: Redis at {storage.host}:{storage.port} does not answer ({error})"
    finally:
        client.close()
    return None


def prefect_home_problem() -> str | None:
    """Return why Prefect could not keep its state (database, profiles) in PREFECT_HOME, or None. A missing home
    is created, as Prefect expects it to exist; one that cannot be created or written is a problem."""
    home = Path(os.path.expandvars(os.environ.get("PREFECT_HOME") or "~/.prefect")).expanduser()
    if home.exists() and not home.is_dir():
        return f"PREFECT_HOME: {home} is not a directory"
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return f"PREFECT_HOME: cannot create {home} ({error.strerror or error}); set PREFECT_HOME to a writable folder"
    import tempfile

    try:
        with tempfile.TemporaryFile(dir=home):
            pass
    except OSError as error:
        return (
            f"PREFECT_HOME: {home} is not writable ({error.strerror or error}); set PREFECT_HOME to a writable folder"
        )
    return None


def check_ready(settings: Settings, source: str, command: str, timeout: float = 3.0) -> None:
    """Check, before any work starts, what `command` ("run", "serve") needs beyond a valid file: outlets to collect,
    writable paths, a writable PREFECT_HOME, reachable scale-out services (a short connect each). Raises
    ConfigError with one line per problem."""
    problems: list[str] = []
    if not settings.outlets:
        problems.append(
            "outlets: no outlets configured, so there is nothing to collect (add `outlets:` entries or `opml:` lists)"
        )
    paths = {"database": settings.database, "published": settings.published_path, "report": settings.report}
    for n, channel in enumerate(settings.alerts.channels):
        if channel.kind == "file":
            paths[f"alerts.channels.{n}.path"] = channel.path
    problems += [p for p in (_writable_problem(path, key) for key, path in paths.items()) if p]
    home = prefect_home_problem()
    if home:
        problems.append(home)
    if settings.runner.kind == "dask" and settings.runner.address:
        host, port = _dask_address(settings.runner.address)
        problem = _connect_problem(host, port, f"runner.address: Dask scheduler {settings.runner.address}", timeout)
        if problem:
            problems.append(problem)
    if settings.dedup.storage.type == "redis":
        problem = _redis_problem(settings.dedup.storage, timeout)
        if problem:
            problems.append(problem)
    if problems:
        raise ConfigError("\n".join(f"{source}: {problem}" for problem in problems))


def writable_problem(path: Path, key: str) -> str | None:
    """Return why accord cannot write the file `path`, or None (for an output path given on the command line)."""
    return _writable_problem(path, key)
