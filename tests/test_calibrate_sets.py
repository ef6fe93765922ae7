"""Data folders of eval/calibrate_sets: a set's documents linked beside the bundled plans, held-out ones left out."""
import json
import tomllib

import numpy as np

from kehoach.config import Config
from kehoach.eval import calibrate_sets
from kehoach.eval.tuning import fit_rows


def test_set_folder_links_documents_and_leaves_out_held_out_ones(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    docs = repo / "sets" / "docs"
    docs.mkdir(parents=True)
    for name in ("a.txt", "b.txt", "c.docx", "notes.md"):
        (docs / name).write_text("x", "utf-8")
    labels = repo / "sets" / "tasks.jsonl"
    labels.write_text(json.dumps({"doc": "b.txt", "split": "heldout"}) + "\n"
                      + json.dumps({"doc": "a.txt", "split": "dev"}) + "\n", "utf-8")
    monkeypatch.setattr(calibrate_sets, "REPO", repo)
    base = Config(home=tmp_path / "home")
    spec = {"name": "s", "gold": "unused", "held_out_labels": "sets/tasks.jsonl",
            "folders": [{"path": "sets/docs", "glob": ["*.txt", "*.docx"]}]}
    cfg = calibrate_sets.set_config(base, spec)
    linked = sorted(p.name for p in (cfg.home / "docs-0").iterdir())
    assert linked == ["a.txt", "c.docx"]
    on_disk = tomllib.loads((cfg.home / "config.toml").read_text("utf-8"))
    assert tuple(on_disk["corpus"]) == cfg.corpus and cfg.corpus[-1] == str(cfg.home / "docs-0")


def test_a_missing_folder_skips_the_set(tmp_path, monkeypatch):
    monkeypatch.setattr(calibrate_sets, "REPO", tmp_path)
    spec = {"name": "s", "gold": "unused", "folders": [{"path": "nowhere"}]}
    assert calibrate_sets.set_config(Config(home=tmp_path / "home"), spec) is None


def test_refusal_threshold_refuses_at_most_the_allowed_share():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 9))
    answerable = (X[:, 4] + 0.3 * rng.normal(size=200) > -0.5).astype(float)
    fitted = fit_rows(X, answerable, answerable, max_refused=0.03)
    p = 1 / (1 + np.exp(-(X @ np.array(fitted["found_weights"]) + fitted["found_bias"])))
    refused = (p[answerable == 1] < fitted["threshold"]).mean()
    assert refused <= 0.03 and fitted["trained_on"] == 200
