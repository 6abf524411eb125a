"""Labelled inbound messages: every one gets its label; precision and recall of fuzzy opt-out prompts.

Run ``.venv/bin/python tests/keywords/test_keyword_corpus.py`` to print the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from smschannel.keywords import DEFAULT_OPT_OUT, Engine, KeywordRules

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus.tsv"
"""Development corpus: every row must get its label."""
HOLDOUT = HERE / "holdout.tsv"
"""Held-out messages written after the fuzzy rules were frozen; measured, not fitted."""

FUZZY_RULES = KeywordRules(fuzzy_opt_out=True, fuzzy_auto_reply="Did you want to stop our texts? Reply YES.")
"""The default keywords with fuzzy opt-out on: the set-up the labels describe."""
NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Row:
    """One labelled message."""

    line: int
    message: str
    expected: str


@dataclass(frozen=True)
class Metrics:
    """Confusion counts of fuzzy prompts over a corpus."""

    true_positives: int
    false_positives: int
    false_negatives: int
    true_negatives: int

    @property
    def precision(self) -> float:
        """Share of prompted messages that were labelled as prompts."""
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        """Share of messages labelled as prompts that were prompted."""
        actual = self.true_positives + self.false_negatives
        return self.true_positives / actual if actual else 1.0

    def __str__(self) -> str:
        """Return the numbers as one line."""
        tp, predicted = self.true_positives, self.true_positives + self.false_positives
        actual = self.true_positives + self.false_negatives
        return (
            f"precision {self.precision:.3f} ({tp}/{predicted}), recall {self.recall:.3f} ({tp}/{actual}),"
            f" {self.true_negatives} true negatives"
        )


def load(path: Path) -> list[Row]:
    """Return the rows of a ``message<TAB>action`` file, skipping ``#`` comment lines."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if not line or line.startswith("#"):
            continue
        message, expected = line.split("\t")
        rows.append(Row(number, message, expected.strip()))
    return rows


def fuzzy_metrics(rows: list[Row], engine: Engine | None = None) -> Metrics:
    """Return how well the engine's fuzzy prompts match the rows labelled ``fuzzy_prompt``."""
    engine = engine or Engine(FUZZY_RULES)
    tp = fp = fn = tn = 0
    for row in rows:
        predicted = engine.decide(row.message, pending=None, now=NOW).action == "fuzzy_prompt"
        labelled = row.expected == "fuzzy_prompt"
        tp += predicted and labelled
        fp += predicted and not labelled
        fn += labelled and not predicted
        tn += not labelled and not predicted
    return Metrics(tp, fp, fn, tn)


def report() -> str:
    """Return the precision and recall over the development corpus and the held-out set."""
    corpus, holdout = load(CORPUS), load(HOLDOUT)
    return (
        f"corpus  ({len(corpus)} messages): {fuzzy_metrics(corpus)}\n"
        f"holdout ({len(holdout)} messages): {fuzzy_metrics(holdout)}"
    )


ROWS = load(CORPUS)
ENGINE = Engine(FUZZY_RULES)


@pytest.mark.parametrize("row", ROWS, ids=[f"{r.line}:{r.message!r}" for r in ROWS])
def test_row_gets_its_label(row: Row) -> None:
    decision = ENGINE.decide(row.message, pending=None, now=NOW)
    assert decision.action == row.expected


PROMPTS = [r for r in ROWS if r.expected == "fuzzy_prompt"]


@pytest.mark.parametrize("row", PROMPTS, ids=[repr(r.message) for r in PROMPTS])
def test_fuzzy_prompt_asks_and_never_opts_out(row: Row) -> None:
    decision = ENGINE.decide(row.message, pending=None, now=NOW)
    assert decision.consent is None
    assert decision.reply == FUZZY_RULES.fuzzy_auto_reply
    assert decision.pending is not None
    assert (decision.pending.kind, decision.pending.since) == ("fuzzy_confirm", NOW)
    assert decision.fuzzy_score is not None
    assert 0.0 < decision.fuzzy_score <= 1.0


def test_corpus_is_large_and_covers_typos_of_every_default_opt_out_keyword() -> None:
    assert len(ROWS) >= 150
    resembled = {
        ENGINE.decide(r.message, pending=None, now=NOW).keyword
        for r in ROWS
        if r.expected == "fuzzy_prompt" and " " not in r.message.strip()
    }
    assert resembled >= set(DEFAULT_OPT_OUT)


def test_corpus_precision_and_recall_are_perfect() -> None:
    metrics = fuzzy_metrics(ROWS)
    print(f"\ncorpus: {metrics}")
    assert (metrics.precision, metrics.recall) == (1.0, 1.0)
    assert metrics.true_positives >= 100
    assert metrics.true_negatives >= 100


def test_holdout_precision_and_recall() -> None:
    """Measured on messages never used to tune the rules: 68/69 and 68/69 when they were frozen."""
    metrics = fuzzy_metrics(load(HOLDOUT))
    print(f"\nholdout: {metrics}")
    assert metrics.precision >= 0.95
    assert metrics.recall >= 0.95


def test_report_names_both_sets() -> None:
    lines = report().splitlines()
    assert [line.split()[0] for line in lines] == ["corpus", "holdout"]
    assert all("precision" in line and "recall" in line for line in lines)


def test_fuzzy_off_never_prompts() -> None:
    engine = Engine(KeywordRules(default_reply="Thanks for your message"))
    for row in ROWS:
        decision = engine.decide(row.message, pending=None, now=NOW)
        expected = "none" if row.expected == "fuzzy_prompt" else row.expected
        assert decision.action == expected, row
        assert decision.pending is None


if __name__ == "__main__":
    print(report())
