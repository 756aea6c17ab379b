# ruff: noqa: T201 - a report prints by design
"""Precision and recall of the follow-up quality check, per language, over the test corpus
(tests/followups/quality_corpus.py, which the tests require to be classified correctly) and
over the held-out set (tests/followups/quality_holdout.py, never used to tune the rules).

    .venv/bin/python scripts/followup_quality_report.py [--misses]

A bad example counts as one expected finding (its code); every code raised is one predicted
finding. Precision = right findings / findings raised; recall = right findings / expected
findings. Per code too, and the accuracy of each set (examples classified exactly right).
Only the text checks run (no owner or due date is involved)."""

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kizuki.config.settings")

import django  # noqa: E402 - the settings module must be named first

django.setup()

from tests.followups.quality_corpus import CORPUS, Example  # noqa: E402
from tests.followups.quality_holdout import HOLDOUT  # noqa: E402

from kizuki.followups.quality import check_text  # noqa: E402


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "  -  "


def report(name: str, examples: list[Example], show_misses: bool) -> None:
    print(f"\n== {name}")
    for language in ("ja", "en"):
        subset = [e for e in examples if e.language == language]
        right, raised, expected, exact = Counter[str](), Counter[str](), Counter[str](), 0
        misses = []
        for example in subset:
            got = {finding.code for finding in check_text(example.title, example.description)}
            want = {example.code} if example.code else set()
            exact += got == want
            for code in got:
                raised[code] += 1
                right[code] += code in want
            for code in want:
                expected[code] += 1
            if got != want:
                misses.append((example.title, ", ".join(sorted(want)), ", ".join(sorted(got))))
        total_right, total_raised = sum(right.values()), sum(raised.values())
        total_expected = sum(expected.values())
        good = sum(1 for e in subset if e.code is None)
        print(
            f"{language}: {len(subset)} examples ({good} good, {len(subset) - good} bad)"
            f"  precision {_ratio(total_right, total_raised)}"
            f"  recall {_ratio(total_right, total_expected)}"
            f"  exactly right {exact}/{len(subset)}"
        )
        for code in sorted(set(expected) | set(raised)):
            print(
                f"    {code:<16} precision {_ratio(right[code], raised[code])}"
                f"  recall {_ratio(right[code], expected[code])}"
                f"  ({right[code]} right, {raised[code]} raised, {expected[code]} expected)"
            )
        if show_misses:
            for title, wanted, raised_codes in misses:
                print(f"    miss: {title}  expected {wanted or '-'}  raised {raised_codes or '-'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", action="store_true", help="list the misclassified examples")
    arguments = parser.parse_args()
    report("corpus (tests/followups/quality_corpus.py)", CORPUS, arguments.misses)
    report("held out (tests/followups/quality_holdout.py)", HOLDOUT, arguments.misses)


if __name__ == "__main__":
    main()
