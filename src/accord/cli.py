"""The `accord` command (typer): run, serve, report, eval.

Every command validates the whole configuration first (accord.config), so a bad key, path, secret or unreachable
service stops it before any work, with one line per problem. Errors print as one line, without a traceback unless
`-v`; library logs stay quiet unless `-v`; long work shows rich progress bars on stderr.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from accord.errors import AccordError

app = typer.Typer(
    name="accord",
    help="How far news outlets agree about violent incidents: collect, group, extract, score, report, alert.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

ConfigOption = Annotated[
    Path,
    typer.Option("--config", "-c", help="configuration file (YAML); relative paths in it resolve against its folder"),
]
STAGES = ("read", "dedup", "cluster", "extract", "score")
_state = {"verbose": False}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("accord")
    except PackageNotFoundError:
        from accord import __version__

        return __version__


def _show_version(value: bool) -> None:
    if value:
        print(f"accord {_version()}")
        raise typer.Exit()


@app.callback()
def _main(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="show library logs, debug detail and tracebacks")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", help="print the version and exit", callback=_show_version, is_eager=True),
    ] = False,
) -> None:
    _state["verbose"] = verbose
    _configure_logging(verbose)


class _OneLine(logging.Formatter):
    """A log record as one line, without its traceback (the default; `-v` shows tracebacks)."""

    def format(self, record: logging.LogRecord) -> str:
        first = (record.getMessage().strip().splitlines() or [""])[0]
        return f"{record.levelname.lower()}: {record.name}: {first}"


def _configure_logging(verbose: bool) -> None:
    """Library logs to stderr at WARNING, one line each (DEBUG with tracebacks under -v); accord's own INFO records
    still reach the progress bars."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.DEBUG if verbose else logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s") if verbose else _OneLine())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)
    logging.getLogger("accord").setLevel(logging.DEBUG if verbose else logging.INFO)
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    if not verbose:
        # Prefect prints every task run's start and end at INFO: keep them for its UI (API handler), not the console
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")
        # the "Loading weights" bar of transformers and any other tqdm bar in this process and its workers
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        os.environ.setdefault("TQDM_DISABLE", "1")


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def _progress(console: Any) -> Any:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    )


class StageBars(logging.Handler):
    """Drives progress bars from the log records the pipeline already writes: Prefect's task-run ends (one per
    outlet collected, the cluster and extract tasks), accord.embed's "embedded N of M texts" and steps'
    "extract: reading N articles"."""

    def __init__(self, progress: Any, outlets: int | None = None) -> None:
        super().__init__(level=logging.INFO)
        self.progress = progress
        self.bars: dict[str, Any] = {}
        if outlets:
            self.bars["collect"] = progress.add_task("collect", total=outlets)

    def _bar(self, name: str, total: float | None) -> Any:
        if name not in self.bars:
            self.bars[name] = self.progress.add_task(name, total=total)
        elif total is not None:
            self.progress.update(self.bars[name], total=total)
        return self.bars[name]

    def finish(self, name: str) -> None:
        if name in self.bars:
            task = self.progress.tasks[[t.id for t in self.progress.tasks].index(self.bars[name])]
            self.progress.update(self.bars[name], total=task.total or 1, completed=task.total or 1)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
            if record.name == "accord.embed" and message.startswith("embedded ") and len(record.args or ()) >= 2:
                done, total = record.args[0], record.args[1]  # type: ignore[index]
                self.progress.update(self._bar("embed", total), completed=done)
            elif message.startswith("extract: reading ") and record.args:
                self._bar("extract", record.args[0])  # type: ignore[index]
            elif record.name.startswith("prefect.task_runs") and message.startswith("Finished in state"):
                task_name = getattr(record, "task_name", "")
                if task_name == "collect_outlet" and "collect" in self.bars:
                    self.progress.advance(self.bars["collect"])
                elif task_name == "cluster":
                    self.finish("embed")
                elif task_name == "extract":
                    self._bar("extract", None)
                    self.finish("extract")
        except Exception:  # a progress bar must never break a run
            self.handleError(record)


def _watch(handler: logging.Handler) -> list[logging.Logger]:
    loggers = [logging.getLogger("accord"), logging.getLogger("prefect.task_runs")]
    for logger in loggers:
        logger.addHandler(handler)
    return loggers


def _ready(config: Path, command: str) -> Any:
    from accord.config import check_ready, load_settings

    settings = load_settings(config)
    check_ready(settings, str(config), command)
    return settings


def _summary(result: dict[str, Any]) -> str:
    collect = result.get("collect") or {}
    process = result.get("process") or {}
    cluster = process.get("cluster") or {}
    score = process.get("score") or {}
    alerts = (result.get("publish") or {}).get("alerts") or {}
    parts = [
        f"run {result.get('run')} {result.get('status')}",
        f"{collect.get('new_articles', 0)} new articles from {collect.get('outlets', 0)} outlet(s)"
        + (f" ({collect['outlet_errors']} failed)" if collect.get("outlet_errors") else ""),
        f"{cluster.get('new_stories', 0)} new stories",
        f"{score.get('stories', score.get('scored', 0))} stories scored",
        f"{alerts.get('planned', 0)} alerts",
        *(result.get("errors") or []),  # why a run is completed_with_failures (issue 20)
    ]
    return "; ".join(parts)


@app.command()
def run(
    config: ConfigOption = Path("config.yaml"),
    json_output: Annotated[bool, typer.Option("--json", help="print the run's counts as JSON on stdout")] = False,
) -> int:
    """One full pass: collect, dedup, cluster, extract, score, report, alerts (the Prefect flow `pipeline`)."""
    settings = _ready(config, "run")
    console = _stderr_console()
    with _progress(console) as progress:
        progress.console.print("accord: starting Prefect (a temporary server unless PREFECT_API_URL is set)")
        from accord.flows.pipeline import pipeline, start_tied_prefect_server

        _configure_logging(_state["verbose"])  # Prefect may have set up its own console logging on import
        start_tied_prefect_server()  # Prefect's temporary server, killed with this process even by kill -9
        bars = StageBars(progress, outlets=len(settings.outlets))
        loggers = _watch(bars)
        try:
            result = pipeline(config_path=str(config))
        finally:
            for logger in loggers:
                logger.removeHandler(bars)
    if json_output:
        print(json.dumps(result, indent=2, default=str))
    else:
        print(_summary(result))
        print(f"report: {(result.get('publish') or {}).get('report', settings.report)}")
        print(f"database for analysts: {result.get('published', settings.published_path)}")
    return 0


@app.command()
def serve(config: ConfigOption = Path("config.yaml")) -> int:
    """Run the pipeline now, then on the config's `schedule`, as a Prefect deployment; SIGTERM or Ctrl-C stops it.

    Uses PREFECT_API_URL when set; otherwise starts a Prefect server on the config's `serve.host` and `serve.port`.
    """
    settings = _ready(config, "serve")
    from accord.flows.serve import serve_with_server

    return serve_with_server(config, settings)


@app.command()
def report(
    config: ConfigOption = Path("config.yaml"),
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="where to write the report (default: the config's `report`)")
    ] = None,
) -> int:
    """Write the HTML report from the published copy of the database (or the database when none is published)."""
    import duckdb

    from accord import report as reporting
    from accord.config import load_settings, writable_problem

    settings = load_settings(config)
    target = output or settings.report
    problem = writable_problem(target, "--output" if output else "report")
    if problem:
        raise AccordError(problem)
    published, database = settings.published_path, settings.database
    source = published if published.exists() else database
    if not source.exists():
        raise AccordError(f"no database yet at {database}: run `accord run` first")
    try:
        con = duckdb.connect(str(source), read_only=True)
    except duckdb.IOException as error:
        if "lock" not in str(error).lower():
            raise AccordError(f"cannot open {source}: {str(error).splitlines()[0]}") from None
        raise AccordError(
            f"the database {database} is busy (a run holds it) and no published copy exists yet at {published}: "
            "try again when the run ends"
        ) from None
    if source == published:
        print(f"accord: reading the published copy {published} (as of the last finished run)", file=sys.stderr)
    try:
        path = reporting.write_report(con, target)
    finally:
        con.close()
    print(path)
    return 0


@app.command("eval")
def evaluate_corpus(
    corpus: Annotated[Path, typer.Argument(help="a .jsonl corpus file or a folder of them (../shared/CORPUS.md)")],
    json_output: Annotated[
        bool, typer.Option("--json", help="print the metrics as one JSON object on the last line of stdout")
    ] = False,
    config: Annotated[
        Path | None,
        typer.Option("--config", "-c", help="configuration whose dedup/cluster/actors/agreement keys to use"),
    ] = None,
    stories: Annotated[
        Path | None,
        typer.Option("--stories", help="also write one JSON line per story (its articles, verdicts and evidence) here"),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress on stderr")] = False,
) -> int:
    """Measure dedup, clustering, extraction and scoring on a labelled corpus (no Prefect server, no network)."""
    import inspect

    from accord.config import load_settings, settings_from_dict, writable_problem
    from accord.corpus import count_records
    from accord.embed import EmbedderSpec, encoder_ahead

    settings = load_settings(config) if config else settings_from_dict({}, Path.cwd())
    if not corpus.exists():
        raise AccordError(f"corpus not found: {corpus}")
    if stories is not None and (problem := writable_problem(stories, "--stories")):
        raise AccordError(problem)
    spec = EmbedderSpec(settings.cluster.model, settings.cluster.precision)
    console = _stderr_console()
    progress = _progress(console) if not quiet else None
    bars = StageBars(progress) if progress is not None else None
    loggers = _watch(bars) if bars is not None else []
    stage = progress.add_task("eval", total=len(STAGES)) if progress is not None else None

    def report_progress(message: str) -> None:
        if progress is None:
            return
        progress.console.print(message, markup=False)
        if any(message.startswith(f"{name}:") or message.startswith(f"{name} ") for name in STAGES):
            progress.advance(stage)
            if message.startswith("cluster:") and bars is not None:
                bars.finish("embed")

    try:
        if progress is not None:
            progress.start()
        # a large corpus's encoding worker starts first: it loads the model while this process imports the
        # pipeline, reads the corpus and de-duplicates it
        with encoder_ahead(spec, count_records(corpus)) as factory:
            from accord.evaluation import evaluate
            from accord.stages.extract import build_extractor

            options: dict[str, Any] = {}
            if stories is not None and "stories" in inspect.signature(evaluate).parameters:
                options["stories"] = stories
            result = evaluate(
                corpus,
                settings,
                embedder_factory=factory,
                extractor=build_extractor(settings),
                progress=report_progress,
                **options,
            )
    finally:
        if progress is not None:
            progress.stop()
        for logger in loggers:
            logger.removeHandler(bars)  # type: ignore[arg-type]
    rows = result.pop("stories", None)
    if stories is not None and "stories" not in options:
        if rows is None:
            raise AccordError("--stories: this build's evaluation returns no per-story figures")
        stories.write_text("".join(json.dumps(row, default=str) + "\n" for row in rows), encoding="utf-8")
    if json_output:
        print(json.dumps(result))
    else:
        print(_format_eval(result))
    return 0


def _format_eval(result: dict) -> str:
    lines = [f"articles: {result['articles']}   seconds: {result['seconds']}"]
    for block in ("clustering", "killed", "injured", "perpetrator", "consensus"):
        figures = ", ".join(f"{k}={'-' if v is None else v}" for k, v in result[block].items())
        lines.append(f"{block:12} {figures}")
    verdict = result.get("verdict")
    if verdict is not None:
        lines.append(f"{'verdict':12} stories={verdict['stories']}")
        for flag in ("count_divergent", "attribution_contested"):
            figures = ", ".join(f"{k}={'-' if v is None else v}" for k, v in verdict[flag].items())
            lines.append(f"  {flag:22} {figures}")
    return "\n".join(lines)


def command_names() -> list[str]:
    """Return the names of accord's commands (the README documents each)."""
    import typer.main

    return sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def _error_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    if isinstance(error, AccordError):
        return text
    return f"{type(error).__name__}: {text.splitlines()[0]}"


def main(argv: list[str] | None = None) -> int:
    # Prefect reads these at import. The temporary server's telemetry heartbeat fails on its own sqlite lock and
    # prints tracebacks; a tool run on a schedule has no business phoning home anyway.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # Prefect gives the temporary server of a run without PREFECT_API_URL 20 s to start; it takes 10 to 20 s on a
    # quiet 2-core machine, so a busy one (two overlapping runs, a backfill beside) timed out
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    args = sys.argv[1:] if argv is None else argv
    try:
        code = app(args=args, prog_name="accord", standalone_mode=False)
    except typer.Exit as done:
        return done.exit_code
    except typer.TyperException as error:  # a usage error: typer's own message and hint
        show = getattr(error, "show", None)
        if show is not None:
            show()
        else:
            print(f"accord: error: {error.format_message()}", file=sys.stderr)
        return error.exit_code
    except typer.Abort:
        print("accord: aborted", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("accord: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 (every failure ends as one line; -v shows the traceback)
        if _state["verbose"]:
            import traceback

            traceback.print_exc()
        lines = _error_line(error).splitlines()
        for line in lines:
            print(f"accord: error: {line}", file=sys.stderr)
        if not isinstance(error, AccordError) and not _state["verbose"]:
            print("accord: (run `accord -v ...` for the traceback)", file=sys.stderr)
        return 2 if isinstance(error, AccordError) else 1
    return code if isinstance(code, int) else 0


if __name__ == "__main__":
    sys.exit(main())
