"""The restorer's document cache (corpus/restore_cache.py): a document's confident readings settle
its doubtful ones. Invented examples; the measured effect is in eval/RESTORE.md."""
from __future__ import annotations

import dataclasses

import pytest

from kehoach.corpus.restore import Restorer
from kehoach.corpus.restore_cache import DocCache, confident_tokens
from kehoach.corpus.restore_casing import caps_line
from kehoach.corpus.restore_tokens import pieces

# A plan that writes "chia sẻ" clearly three times, then once damaged before "dữ liệu", where the
# general trigram prefers "sở" (from "cơ sở dữ liệu").
SHARED = ["Cac so, nganh tang cuong chia sẻ kinh nghiệm va chia sẻ thông tin.", "",
          "Doanh nghiep chia sẻ kết quả.", "",
          "Xay dung truc ket noi chia sé dữ liệu tinh."]


def test_cache_counts_only_confident_neighbours() -> None:
    cache = DocCache()
    cache.add([1, 2, None, 2, 3])
    cache.add([2, 3])
    assert cache.uni == {1: 1, 2: 3, 3: 2} and cache.total == 6
    # None (a doubtful word, a number, a comma) breaks the bigram chain.
    assert cache.bi == {(1, 2): 1, (2, 3): 2} and cache.ctx == {1: 1, 2: 2}


def test_cache_probability_is_bigram_share_plus_scaled_unigram() -> None:
    cache = DocCache()
    cache.add([1, 2, 1, 3])
    pu = cache.unigram()[2]
    assert pu == pytest.approx(0.25)
    assert cache.prob(1, 2, pu, 0.0) == pytest.approx(0.5)          # "1 2" once of two bigrams after 1
    assert cache.prob(1, 2, pu, 1.0) == pytest.approx(0.75)
    assert cache.prob(3, 2, pu, 0.0) == 0.0                          # 3 starts no cached bigram
    assert cache.prob(3, 2, pu, 1.0) == pytest.approx(0.25)          # the unigram share does not depend on v


def _with(restorer: Restorer, **changes) -> Restorer:
    own = Restorer(restorer.lm, restorer.channel, [], dataclasses.replace(restorer.params, **changes),
                   restorer.case, restorer.words)
    own.cands = restorer.cands   # same candidate index (and its cache of channel scores)
    return own


@pytest.fixture(scope="module")
def restorer() -> Restorer:
    return Restorer.load()


def test_document_settles_a_word_the_general_model_gets_wrong(restorer: Restorer) -> None:
    once = _with(restorer, cache_weight=0.0).decode(SHARED).lines
    twice = _with(restorer, cache_weight=0.15).decode(SHARED).lines
    assert "chia sở dữ liệu" in once[-1]
    assert "chia sẻ dữ liệu" in twice[-1]
    assert twice[:-1] == once[:-1]


@pytest.mark.parametrize("changes", [{"cache_cap": 0.0}, {"cache_margin": 1e9}, {"cache_weight": 0.0}])
def test_no_gain_allowed_or_no_confident_word_means_one_reading(restorer: Restorer, changes: dict) -> None:
    assert _with(restorer, **changes).decode(SHARED).lines == _with(restorer, cache_weight=0.0).decode(SHARED).lines \
        != _with(restorer).decode(SHARED).lines


def test_confident_tokens_leave_out_doubtful_words(restorer: Restorer) -> None:
    lines = ["Doanh nghiep chia sẻ kết quả va phu hop xu thé."]
    parts = [pieces(lines[0])]
    slots = restorer._slots([0], parts, [caps_line(parts[0])])
    choice = restorer._beam(slots)
    sure = confident_tokens(restorer, slots, choice, 3.0)
    every = confident_tokens(restorer, slots, choice, -1e9)
    ids = restorer.lm.ids
    assert ids["chia"] in sure and ids["sẻ"] in sure          # printed with its marks: sure
    assert every[-1] is None                                   # the full stop is no syllable
    kept = [t for t in sure if t is not None]
    assert 0 < len(kept) < len([t for t in every if t is not None])
    assert all(s is None or s == e for s, e in zip(sure, every))
