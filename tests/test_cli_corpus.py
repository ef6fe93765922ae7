"""`kehoach tasks` and `kehoach agencies` without paths read what the user last indexed (corpus.toml)."""
from __future__ import annotations

import json

from kehoach import cli
from kehoach.index.sources import record_sources


def test_tasks_without_paths_read_the_indexed_folder(tmp_path, clean_corpus, capsys, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("KEHOACH_HOME", str(home))
    record_sources(home, [str(clean_corpus)])
    assert cli.main(["tasks", "--json"]) == 0
    docs = {t["doc"] for t in json.loads(capsys.readouterr().out)["tasks"]}
    assert docs == {p.name for p in clean_corpus.iterdir()}


def test_tasks_without_anything_indexed_read_the_bundled_plans(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("KEHOACH_HOME", str(tmp_path / "empty"))
    assert cli.main(["tasks", "--json"]) == 0
    docs = {t["doc"][:3] for t in json.loads(capsys.readouterr().out)["tasks"]}
    assert docs == {"000", "001", "002", "003"}
