"""The restorer's cloze model (corpus/restore_neural.py): P(syllable | the words on both sides), read
with numpy, added to the second reading's candidates when a model file is present. Measured and not
shipped (eval/RESTORE.md, round 7); these tests keep the measurement reproducible."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from kehoach.corpus.lm import BOS, EOS, UNK
from kehoach.corpus.restore import Restorer
from kehoach.corpus.restore_decode import _Slot
from kehoach.corpus.restore_neural import ClozeLM

PAD = "<pad>"


def tiny(seed: int = 0, vocab=(PAD, BOS, EOS, UNK, "a", "b", "c")) -> ClozeLM:
    rng = np.random.default_rng(seed)
    V, E, H = len(vocab), 4, 3
    r = lambda *shape: rng.normal(size=shape).astype(np.float32)  # noqa: E731
    return ClozeLM(list(vocab), emb=r(V, E), fw_ih=r(4 * H, E), fw_hh=r(4 * H, H), fw_b=r(4 * H),
                   bw_ih=r(4 * H, E), bw_hh=r(4 * H, H), bw_b=r(4 * H), proj_w=r(E, 2 * H), proj_b=r(E),
                   out_b=r(V))


def constant(preferences: dict[str, float]) -> ClozeLM:
    """A model that ignores context: all weights zero, so P(w) = softmax(out_b)."""
    vocab = [PAD, BOS, EOS, UNK] + list(preferences)
    V, E, H = len(vocab), 2, 2
    z = lambda *shape: np.zeros(shape, np.float32)  # noqa: E731
    out_b = np.array([-20.0] * 4 + list(preferences.values()), np.float32)
    return ClozeLM(vocab, emb=z(V, E), fw_ih=z(4 * H, E), fw_hh=z(4 * H, H), fw_b=z(4 * H), bw_ih=z(4 * H, E),
                   bw_hh=z(4 * H, H), bw_b=z(4 * H), proj_w=z(E, 2 * H), proj_b=z(E), out_b=out_b)


def test_one_normalised_row_per_inner_token() -> None:
    lp = tiny().logprobs([BOS, "a", "b", "zzz", EOS])
    assert lp.shape == (3, 7)
    assert np.allclose(np.exp(lp).sum(axis=1), 1.0, atol=1e-5)


def test_a_row_depends_on_both_sides_but_not_on_its_own_token() -> None:
    m = tiny()
    base = m.logprobs([BOS, "a", "b", "c", EOS])
    # Row 1 predicts the middle token: changing that token changes nothing in its own row.
    assert np.allclose(m.logprobs([BOS, "a", "c", "c", EOS])[1], base[1], atol=1e-6)
    assert not np.allclose(m.logprobs([BOS, "b", "b", "c", EOS])[1], base[1])   # left context
    assert not np.allclose(m.logprobs([BOS, "a", "b", "a", EOS])[1], base[1])   # right context


def test_save_and_load_keep_the_model(tmp_path) -> None:
    m = tiny()
    m.save(tmp_path / "cloze.npz")
    back = ClozeLM.load(tmp_path / "cloze.npz")
    assert back.vocab == m.vocab
    toks = [BOS, "a", "c", "b", EOS]
    # Stored in float16: close, not identical.
    assert np.allclose(back.logprobs(toks), m.logprobs(toks), atol=0.05)
    assert not list(tmp_path.glob("*.tmp*"))


def test_syllables_the_model_never_saw_are_not_scored() -> None:
    assert tiny().bind([BOS, "a", "x", UNK]).tolist() == [1, 4, -1, -1]



def with_cloze(model: ClozeLM, weight: float) -> Restorer:
    shipped = Restorer.load()
    r = Restorer(shipped.lm, shipped.channel, [], dataclasses.replace(shipped.params, cloze_weight=weight),
                 shipped.case, shipped.words, model)
    r.cands = shipped.cands   # the same candidate index: only the cloze differs
    return r


def test_bonus_is_relative_to_the_best_known_candidate_and_unknowns_get_none() -> None:
    shipped = Restorer.load()
    r = with_cloze(constant({"đã": 2.0, "đi": 0.0}), 0.5)
    ids = [shipped.lm.id(w) for w in ("đi", "đã", "đà")]   # "đà": a syllable the model never saw
    slot = _Slot(cands=[(ids[0], -1.0, "đi"), (ids[1], -3.0, "đã"), (ids[2], -2.0, "đà")])
    out = r._with_cloze([slot], [("one", 0)])[0].cands
    assert out[1][1] == pytest.approx(-3.0)            # the best known candidate: unchanged
    assert out[0][1] == pytest.approx(-1.0 - 0.5 * 2.0, abs=1e-3)
    assert out[2][1] == pytest.approx(-2.0)            # no opinion on "đà"


def test_the_second_reading_follows_a_strong_cloze_and_ignores_a_weightless_one() -> None:
    shipped = Restorer.load()
    lines = ["Den nay tinh di hoan thanh ke hoach."]
    plain = shipped.decode(lines).lines
    assert " đã " in plain[0]   # the trigram's reading
    # A (context-blind) cloze that insists on "đi": the second reading follows it only when weighted.
    prefers = constant({"đi": 8.0, "đã": 0.0})
    assert with_cloze(prefers, 0.0).decode(lines).lines == plain
    strong = with_cloze(prefers, 3.0).decode(lines).lines[0]
    assert strong == plain[0].replace(" đã ", " đi ")
