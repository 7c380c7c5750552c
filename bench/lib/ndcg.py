"""nDCG@k over graded relevance judgments, for the search yardstick in bench/relevance/.

A query's judgments map document ids to grades (3 answers it exactly, 2 highly relevant,
1 partly relevant); an unjudged document counts as 0. The gain of a grade g is 2**g - 1, the
document at rank i (1-based) is discounted by log2(i + 1), and the ideal ranking is the judged
documents sorted by grade. A document id repeated in a ranking counts only where it first
appears, so a ranking cannot score more than its ideal.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence


def _dcg(grades: Iterable[int]) -> float:
    return sum((2**grade - 1) / math.log2(rank + 1) for rank, grade in enumerate(grades, 1))


def ndcg_at_k(ranked_ids: Sequence[str], judgments: Mapping[str, int], k: int = 10) -> float:
    """nDCG of the first k ids of ranked_ids; 0.0 when the judgments hold no positive grade."""
    if k < 1:
        raise ValueError(f"k must be at least 1, not {k}")
    ideal = _dcg(sorted((g for g in judgments.values() if g > 0), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    seen: set[str] = set()
    grades = []
    for doc_id in ranked_ids:
        if doc_id in seen:
            continue
        seen.add(doc_id)
        grades.append(judgments.get(doc_id, 0))
        if len(grades) == k:
            break
    return _dcg(grades) / ideal


def mean(values: Iterable[float]) -> float:
    """Arithmetic mean, e.g. of per-query nDCG; an empty input is an error, not 0."""
    items = list(values)
    if not items:
        raise ValueError("mean of no values")
    return sum(items) / len(items)


if __name__ == "__main__":
    grades = {"a": 3, "b": 2, "c": 1}
    assert ndcg_at_k(["a", "b", "c"], grades) == 1.0
    # reversed: DCG = 1/1 + 3/log2(3) + 7/2 = 6.3928; ideal = 7/1 + 3/log2(3) + 1/2 = 9.3928
    assert abs(ndcg_at_k(["c", "b", "a"], grades) - 0.680606) < 1e-6
    # one relevant document at rank 2: (2**1 - 1) / log2(3) over an ideal of 1
    assert abs(ndcg_at_k(["x", "a"], {"a": 1}) - 1 / math.log2(3)) < 1e-12
    # cut at k=1: gain 1 of the grade-1 document against the ideal's 7
    assert abs(ndcg_at_k(["b", "a"], {"a": 3, "b": 1}, k=1) - 1 / 7) < 1e-12
    # a repeated id does not earn twice
    assert ndcg_at_k(["a", "a", "b"], {"a": 3, "b": 3}) == 1.0
    assert ndcg_at_k(["a", "b"], {}) == 0.0
    assert ndcg_at_k([], grades) == 0.0
    assert mean([1.0, 0.5, 0.0]) == 0.5
    print("ndcg self-check passed")
