"""The `accord` command: run, serve, report, eval."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from accord.errors import AccordError


def _cmd_run(args: argparse.Namespace) -> int:
    from accord.config import load_settings

    load_settings(args.config)  # fail fast, before Prefect starts, on a bad file
    from accord.flows.pipeline import pipeline

    result = pipeline(config_path=str(args.config))
    print(json.dumps(result, indent=2, default=str))
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from accord.config import load_settings

    load_settings(args.config)
    from accord.flows.serve import serve_with_server

    return serve_with_server(Path(args.config))


def _cmd_report(args: argparse.Namespace) -> int:
    import duckdb

    from accord import report
    from accord.config import load_settings

    settings = load_settings(args.config)
    source = settings.published_path if settings.published_path.exists() else settings.database
    if not source.exists():
        raise AccordError(f"no database yet at {settings.database}: run `accord run` first")
    con = duckdb.connect(str(source), read_only=True)
    try:
        path = report.write_report(con, Path(args.output) if args.output else settings.report)
    finally:
        con.close()
    print(path)
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    from accord.config import load_settings, settings_from_dict
    from accord.corpus import count_records
    from accord.embed import EmbedderSpec, encoder_ahead

    settings = load_settings(args.config) if args.config else settings_from_dict({}, Path.cwd())
    progress = (lambda message: print(message, file=sys.stderr, flush=True)) if not args.quiet else (lambda m: None)
    corpus = Path(args.corpus)
    spec = EmbedderSpec(settings.cluster.model, settings.cluster.precision)
    # a large corpus's encoding worker starts first: it loads the model while this process imports the pipeline,
    # reads the corpus and de-duplicates it
    with encoder_ahead(spec, count_records(corpus)) as factory:
        from accord.evaluation import evaluate
        from accord.stages.extract import build_extractor

        result = evaluate(
            corpus, settings, embedder_factory=factory, extractor=build_extractor(settings), progress=progress
        )
    if args.json:
        print(json.dumps(result))
    else:
        print(_format_eval(result))
    return 0


def _format_eval(result: dict) -> str:
    lines = [f"articles: {result['articles']}   seconds: {result['seconds']}"]
    for block in ("clustering", "killed", "injured", "perpetrator", "consensus"):
        figures = ", ".join(f"{k}={'-' if v is None else v}" for k, v in result[block].items())
        lines.append(f"{block:12} {figures}")
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="accord", description="How far news outlets agree about violent incidents.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug detail")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="one full pass: collect, dedup, cluster, extract, score, report, alerts")
    run.add_argument("--config", default="config.yaml", help="configuration file (default: config.yaml)")
    run.set_defaults(func=_cmd_run)

    serve = sub.add_parser("serve", help="run the pipeline on the schedule in the config (Prefect deployments)")
    serve.add_argument("--config", default="config.yaml")
    serve.set_defaults(func=_cmd_serve)

    rep = sub.add_parser("report", help="write the HTML report from the database")
    rep.add_argument("--config", default="config.yaml")
    rep.add_argument("--output", help="where to write the report (default: the config's `report`)")
    rep.set_defaults(func=_cmd_report)

    ev = sub.add_parser("eval", help="measure the pipeline on a labelled corpus (CORPUS.md format)")
    ev.add_argument("corpus", help="a .jsonl corpus file or a folder of them")
    ev.add_argument("--json", action="store_true", help="print the metrics as one JSON object on the last line")
    ev.add_argument("--config", help="configuration whose dedup/cluster/actors/agreement keys to use")
    ev.add_argument("--quiet", action="store_true", help="no progress on stderr")
    ev.set_defaults(func=_cmd_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO, format="%(levelname)s %(name)s: %(message)s"
    )
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # Prefect reads these at import. The temporary server's telemetry heartbeat fails on its own sqlite lock and
    # prints tracebacks; a tool run on a schedule has no business phoning home anyway.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # Prefect gives the temporary server of a run without PREFECT_API_URL 20 s to start; it takes 10 to 20 s on a
    # quiet 2-core machine, so a busy one (two overlapping runs, a backfill beside) timed out
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        return args.func(args)
    except AccordError as error:
        print(f"accord: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
