import subprocess
import sys
from datetime import datetime

import duckdb
import pytest

from accord import stages
from accord.errors import StoreError
from accord.models import Article
from accord.store import Store, publish_copy, writer_lock


def article(i: int, outlet: str = "a") -> Article:
    return Article(
        id=f"id-{i}", outlet=outlet, title=f"Title {i}", text=f"Body {i}", published=datetime(2020, 1, i + 1)
    )


def test_schema_has_the_design_tables(tmp_path):
    with Store(tmp_path / "a.duckdb") as store:
        tables = {r[0] for r in store.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {
        "articles",
        "stories",
        "claims",
        "story_scores",
        "outlet_reliability",
        "alerts",
        "runs",
        "fetch_log",
    } <= tables


def test_a_failed_transaction_leaves_nothing(tmp_path):
    with Store(tmp_path / "a.duckdb") as store:
        with pytest.raises(RuntimeError):
            with store.transaction():
                stages.collect.store_articles(store, [article(1)], None)
                raise RuntimeError("crash mid-step")
        assert store.con.execute("SELECT count(*) FROM articles").fetchall()[0][0] == 0


def test_published_copy_opens_while_writer_holds_the_original(tmp_path):
    path = tmp_path / "a.duckdb"
    with Store(path) as store:
        with store.transaction():
            stages.collect.store_articles(store, [article(i) for i in range(3)], None)
    published = publish_copy(path, tmp_path / "pub.duckdb")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,time; c=duckdb.connect({str(path)!r}); print('ok', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        with pytest.raises(duckdb.IOException):
            duckdb.connect(str(path), read_only=True)
        con = duckdb.connect(str(published), read_only=True)
        assert con.execute("SELECT count(*) FROM articles").fetchall()[0][0] == 3
        con.close()
    finally:
        holder.kill()
        holder.wait()


def test_writer_lock_times_out_with_a_clear_error(tmp_path):
    path = tmp_path / "a.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl,sys,time; f=open(sys.argv[1],'a+'); fcntl.flock(f, fcntl.LOCK_EX); "
            "print('ok', flush=True); time.sleep(30)",
            str(path) + ".lock",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        with pytest.raises(StoreError, match="another accord run holds"):
            with writer_lock(path, timeout=0.5):
                pass
    finally:
        holder.kill()
        holder.wait()
    with writer_lock(path, timeout=0.5):
        pass


def test_the_store_caps_duckdb_memory(tmp_path):
    setting = "SELECT value FROM duckdb_settings() WHERE name = 'memory_limit'"
    default = duckdb.connect(str(tmp_path / "bare.duckdb")).execute(setting).fetchall()[0][0]
    with Store(tmp_path / "a.duckdb") as store:
        capped = store.scalar(setting)
    assert capped != default and capped.endswith("MiB") and float(capped.split()[0]) <= 256


def test_missing_database_read_only_is_an_error(tmp_path):
    with pytest.raises(StoreError, match="database not found"):
        Store(tmp_path / "none.duckdb", read_only=True)
