"""The learned request model: the shipped weights, its verdicts, explanations, training, bad files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from outreach.errors import DataError
from outreach.ingest import acts
from outreach.judge import model as request_model
from outreach.judge import politeness
from outreach.judge.sentences import normalise
from outreach.judge.words import word_texts

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import train_request_model  # noqa: E402


def features_of(sentence: str) -> list[str]:
    low = normalise(" " + sentence)
    return request_model.features(word_texts(low), low.rstrip().endswith("?"))


def probability(sentence: str) -> float:
    return request_model.model().probability(features_of(sentence))


def test_shipped_model_loads_with_a_threshold_and_a_reviewable_number_of_weights() -> None:
    shipped = request_model.load(request_model.DATA)
    assert 0.0 < shipped.threshold < 1.0
    assert 100 < len(shipped.weights) <= train_request_model.KEEP
    assert {name.split(":", 1)[0] for name in shipped.weights} <= {"w", "b", "h", "s", "p"}


@pytest.mark.parametrize("sentence", [
    "Could you take a look at the draft before Friday?",
    "Would you be interested in joining us for lunch next week?",
    "It would be great to meet when you are in Houston.",
    "Any chance we could talk this through tomorrow?",
    "Please join us for the planning session on Monday.",
])  # fmt: skip
def test_requests_score_as_requests(sentence: str) -> None:
    assert probability(sentence) >= request_model.model().threshold


@pytest.mark.parametrize("sentence", [
    "The meeting was moved to the third floor last year.",
    "Our quarterly report shows revenue grew by four percent.",
    "He joined the company in 1998 as an analyst.",
    "The weather in Houston was hot all week.",
])  # fmt: skip
def test_statements_do_not(sentence: str) -> None:
    assert probability(sentence) < request_model.model().threshold


def test_the_model_finds_a_request_the_rules_have_no_cue_for() -> None:
    sentence = "It would be great to meet when you are in Houston."
    request_model.use(request_model.never())
    try:
        assert acts.requests(sentence) == []
    finally:
        request_model.use(None)
    [found] = acts.requests(sentence)
    assert found.act.kind == "ask"
    assert acts.detect("The meeting was moved to the third floor last year.") == []


def test_explain_names_the_features_that_decided_largest_first() -> None:
    found = features_of("Could you take a look at the draft before Friday?")
    named = request_model.model().explain(found, top=4)
    assert len(named) == 4
    assert "s:question" in [c.feature for c in named]
    assert [abs(c.weight) for c in named] == sorted((abs(c.weight) for c in named), reverse=True)
    assert all(c.feature in found for c in named)


def test_features_mark_sentence_start_question_reader_and_strategies() -> None:
    found = features_of("Jim, could you send me the file?")
    assert {"w:could", "b:<s> jim", "b:file ?", "s:question", "s:you", "p:counterfactual_modal"} <= set(found)
    assert "s:question" not in features_of("Send me the file.")


def test_features_name_the_head_word_past_a_salutation_and_the_shape() -> None:
    found = features_of("Hi Jim, send me the file tomorrow.")
    assert "h:send" in found and "s:when" in found and "s:len2" in found
    assert "s:intent" in features_of("I'll bring the copies to the meeting.")
    assert "s:intent" in features_of("We will be glad to join you.")
    assert "s:intent" not in features_of("The team will meet in March.")
    assert "s:meal" in features_of("Are you free for lunch?")
    assert "s:len4" in features_of(" ".join(["word"] * 25) + ".")


@pytest.mark.parametrize("sentence", [
    "Jim, could you send me the file?",
    "Hi Sara, please please review the deck by Friday.",
    "Thanks so much, I really appreciate it.",
    "Who knew the market would turn?",
    "Lunch on Thursday?",
    "",
])  # fmt: skip
def test_scoring_from_the_words_equals_scoring_the_feature_list(sentence: str) -> None:
    low = normalise(" " + sentence)
    texts, question = word_texts(low), low.rstrip().endswith("?")
    shipped = request_model.model()
    found = request_model.features(texts, question)
    # exactly equal: both are exactly rounded sums
    assert shipped.margin_of(texts, question) == (shipped.margin(found) if texts else shipped.bias)
    assert shipped.asks(texts, question) == (bool(texts) and shipped.is_request(found))


SENTENCES = [
    "Please send me the report.", "I am sorry to bother you, but could you look at this?", "Thanks for the help.",
    "Hi Ann, by the way, would you mind joining us?", "Actually, the numbers were wrong.", "So what happened?",
    "We appreciate your patience.", "It was a great trip.", "Send it.", "I think maybe you should call them.",
]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_each_strategy_a_sentence_uses_is_within_the_bound_of_its_words(sentence: str) -> None:
    texts = word_texts(normalise(" " + sentence))
    used = politeness.used(texts)
    assert used, "each example uses some strategy"
    for name in used:  # that strategy alone weighs: the bound must still let it count
        anywhere, by_word = politeness.most_added({name: 1.0})
        assert anywhere + sum(by_word.get(word, 0.0) for word in set(texts)) >= 1.0, name


@pytest.mark.parametrize("weight", [-3.0, -0.5, 0.5, 1.0, 1.5, 3.0])
@pytest.mark.parametrize("sentence", SENTENCES)
def test_skipping_the_strategies_when_they_cannot_reach_the_threshold_never_changes_the_answer(
        sentence: str, weight: float) -> None:  # fmt: skip
    """``asks`` leaves the strategies out when even all of them could not lift the margin to the
    threshold: with strategies that weigh from nothing to everything, it must agree with the full score."""
    low = normalise(" " + sentence)
    texts, question = word_texts(low), low.rstrip().endswith("?")
    weights = {f"p:{name}": weight for name in politeness.weights()} | {"w:send": 0.4, "s:question": 0.3}
    chosen = request_model.Model(weights, -1.0, 0.5)
    assert chosen.asks(texts, question) == chosen.is_request(request_model.features(texts, question))


def test_a_margin_is_the_same_in_every_process_whatever_the_hash_seed() -> None:
    """The feature sets' order follows string hashing; the score must not."""
    script = ("from outreach.judge import model; from outreach.judge.sentences import normalise\n"
              "from outreach.judge.words import word_texts\n"
              "texts = word_texts(normalise(' Jim, could you please send me the file by Friday afternoon?'))\n"
              "print(repr(model.model().margin_of(texts, True)))")
    margins = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3", "4")}
    assert len(margins) == 1


TINY = [
    ("Could you send me the report today?", True),
    ("Could you review the slides today?", True),
    ("Please send me the report.", True),
    ("Please review the slides before noon.", True),
    ("Can we meet today at noon?", True),
    ("Can you call me today?", True),
    ("The report was sent last week.", False),
    ("The slides were reviewed last week.", False),
    ("The meeting was at noon last week.", False),
    ("The report is long.", False),
    ("The slides are long.", False),
    ("We met last week.", False),
]


def test_training_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    first = request_model.dump(train_request_model.train(TINY, seed=3), ["tiny"])
    second = request_model.dump(train_request_model.train(TINY, seed=3), ["tiny"])
    assert first == second
    assert "w:report" in first  # seen in three sentences: kept
    assert "w:noon" in first and "w:call" not in first  # once only: dropped
    path = tmp_path / "tiny.tsv"
    path.write_text(first)
    assert request_model.load(path).weights == train_request_model.train(TINY, seed=3).weights


@pytest.mark.parametrize("text, says", [
    ("bias\t-1.0\nthreshold\t0.5\nw:please\tlots\n", ":3: malformed request model line"),
    ("bias\t-1.0\nthreshold\t0.5\nw:please 1.0\n", ":3: malformed request model line"),
    ("bias\t-1.0\nthreshold\t0.5\nw:please\tnan\n", "not a finite number"),
    ("w:please\t1.0\n", "lacks its bias and threshold"),
    ("bias\t-1.0\nthreshold\t1.5\n", "threshold must be between 0 and 1"),
    ("bias\t-1.0\nthreshold\t0.5\nw:a\t1\nw:a\t2\n", "listed twice"),
])  # fmt: skip
def test_malformed_weights_file_is_a_clear_error_naming_it(tmp_path: Path, text: str, says: str) -> None:
    path = tmp_path / "weights.tsv"
    path.write_text(text)
    with pytest.raises(DataError, match=str(path)) as raised:
        request_model.load(path)
    assert says in str(raised.value)
    assert "\n" not in str(raised.value)


def test_missing_weights_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="missing.tsv: cannot read the request model"):
        request_model.load(tmp_path / "missing.tsv")

