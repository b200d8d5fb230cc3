"""Act detection: where its time goes, per message body and per step.

    .venv/bin/python benchmarks/acts.py                  # 2,000 synthetic messages
    .venv/bin/python benchmarks/acts.py --messages 5000

Parses ``--messages`` synthetic messages (benchmarks/synthetic.py, made in memory), keeps
the personal ones' bodies, and prints, best of ``--rounds`` by CPU time:

  * ``acts.detect`` per body, and per sentence;
  * the steps it is made of, each timed alone over the same bodies: cutting the writer's own
    text and splitting it into sentences with their words; the cue look-up; the request forms;
    the request model on every sentence (the detector consults it on those without a cue);
  * how many distinct sentences the bodies hold (the synthetic mailbox repeats itself, so a
    per-sentence cache would flatter this corpus: outreach keeps none).

Issue 11's ingest target (8x a naive parse, see benchmarks/ingest.py) needs detection at
about 0.03 ms a body.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import synthetic  # noqa: E402

from outreach.ingest import acts  # noqa: E402
from outreach.ingest.parse import parse  # noqa: E402
from outreach.judge import model, vocabulary  # noqa: E402
from outreach.judge.ownership import own_text  # noqa: E402
from outreach.judge.requests import request_form  # noqa: E402
from outreach.judge.sentences import Sentence, normalise, sentences  # noqa: E402


def bodies(count: int) -> list[str]:
    """The bodies of the personal messages among ``count`` synthetic ones."""
    out = []
    for folder, raw in synthetic.iter_messages(count):
        message = parse(raw, folder, None)
        if message.automated is None and message.text:
            out.append(message.text)
    return out


def split(texts: list[str]) -> list[Sentence]:
    vocab = vocabulary.vocabulary()
    out: list[Sentence] = []
    for text in texts:
        src = " " + own_text(text, vocab)
        out.extend(sentences(src, normalise(src)))
    return out


def best(run: Callable[[], object], rounds: int) -> float:
    """The least CPU seconds of ``rounds`` runs."""
    times = []
    for _ in range(rounds):
        started = time.process_time()
        run()
        times.append(time.process_time() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    texts = bodies(args.messages)
    acts.detect("Warm up: could you read this?")  # loads the vocabulary and the model
    found = split(texts)
    vocab, chosen = vocabulary.vocabulary(), model.model()
    per_body = 1e6 / len(texts)
    detect = best(lambda: [acts.detect(text) for text in texts], args.rounds)
    print(f"{len(texts):,} personal bodies, {len(found):,} sentences "
          f"({len({s.text[s.start:s.end].strip() for s in found}):,} distinct)")  # fmt: skip
    print(f"acts.detect:           {detect * per_body:7.1f} us a body, {detect * 1e6 / len(found):5.1f} us a sentence")
    steps = {
        "own text and sentences": lambda: split(texts),
        "cue look-up": lambda: [vocab.cues.find(s.texts) for s in found],
        "request forms": lambda: [request_form(vocab, s) for s in found],
        "request model (all)": lambda: [chosen.asks(s.texts, s.is_question) for s in found],
    }
    for name, run in steps.items():
        print(f"  {name + ':':<22}{best(run, args.rounds) * per_body:7.1f} us a body")


if __name__ == "__main__":
    main()
