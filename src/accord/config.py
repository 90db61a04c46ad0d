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
        if value is not None and len(value.split()) != 5:
            raise ValueError("expected a five-field cron expression such as '*/30 * * * *'")
        return value


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
    lines = [f"invalid configuration in {source}:"]
    for item in error.errors():
        key = ".".join(str(part) for part in item["loc"]) or "(top level)"
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "unknown key"
        lines.append(f"  {key}: {message}")
    return "\n".join(lines)


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
    """Validate a configuration mapping over the packaged defaults; relative paths resolve against `root`."""
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
    return settings.model_copy(
        update={
            "database": _rebase(settings.database, root),
            "published": _rebase(settings.published, root),
            "report": _rebase(settings.report, root),
            "outlets": outlets,
            "alerts": settings.alerts.model_copy(update={"channels": channels}),
        }
    )


def load_settings(path: str | Path) -> Settings:
    """Read and validate a config file. Raises ConfigError for a missing file, bad YAML, or a bad key or value."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"configuration file not found: {path}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise ConfigError(f"{path} is not valid YAML: {error}") from None
    return settings_from_dict(data, path.resolve().parent, source=str(path))
