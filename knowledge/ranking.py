"""Shared by the rankings: the best `take` rows of a score vector."""

from __future__ import annotations

import numpy as np


def best_first(scores: np.ndarray, chunk_ids: np.ndarray, take: int) -> list[tuple[int, float]]:
    """(chunk id, score) of the `take` highest scores, best first (ties by position)."""
    if take <= 0:
        return []
    best = np.argpartition(-scores, take - 1)[:take]
    best = best[np.argsort(-scores[best], kind="stable")]
    return [(int(chunk_ids[i]), float(scores[i])) for i in best]
