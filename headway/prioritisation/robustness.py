"""How firm a selection is: the share of what-if runs, with the method's weights moved a little,
in which each candidate is still chosen.

Pure numpy; no Django. A run stores the shares with its result, so the round page never works
them out again. See docs/prioritisation.md for the method.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from headway.prioritisation import scoring, selection

FloatArray = npt.NDArray[np.float64]

ROBUSTNESS_DRAWS = 200
ROBUSTNESS_SEED = 20260401
ROBUSTNESS_PERTURB = 0.2  # each weight varies by up to ±20%
#: The whole analysis and each draw are capped in time, so a page never waits long.
ROBUSTNESS_SECONDS = 20.0
ROBUSTNESS_DRAW_SECONDS = 0.5
WSJF_PARTS = ("business_value", "time_criticality", "risk_reduction")
RICE_PARTS = ("reach", "impact", "confidence", "effort")


def _by_scorer(inputs: scoring.Inputs, candidates: Sequence[str], keys: Sequence[str]) -> list[FloatArray]:
    """One candidates × inputs matrix per scorer, NaN in the rows of candidates the scorer did not
    fully rate (they are not counted for that candidate, as in the run)."""
    scorers = sorted({s for c in candidates for s in inputs.get(c, {})}, key=int)
    matrices = []
    for scorer in scorers:
        matrix = np.full((len(candidates), len(keys)), np.nan)
        for i, candidate in enumerate(candidates):
            given = inputs.get(candidate, {}).get(scorer, {})
            if all(key in given for key in keys):
                matrix[i] = [float(given[key]) for key in keys]
        matrices.append(matrix)
    return matrices


def value_draws(
    weights: scoring.Weights, inputs: scoring.Inputs, candidates: Sequence[str], *, draws: int, seed: int
) -> FloatArray:
    """draws × candidates: every candidate's combined score when the method's weights vary.

    `candidates` are the candidates' keys in `inputs`, in the order of the selection problem.
    Weighted criteria: each criterion weight varies within ±20% (one factor per criterion per
    draw, the same for every candidate). WSJF: the three parts of the cost of delay are weighted
    1 and each weight varies the same way. RICE multiplies its parts, so weighting them would not
    change the order; instead each candidate's four estimates vary within ±20% independently
    (confidence no higher than 100%). Each scorer's score is worked out as in the run and combined
    by the round's mean or median; a candidate nobody scored counts 0, as in the run.
    """
    perturb = ROBUSTNESS_PERTURB
    method = weights["method"]
    rng = np.random.default_rng(seed)
    if method == scoring.RICE:
        keys: Sequence[str] = RICE_PARTS
    elif method == scoring.WSJF:
        keys = (*WSJF_PARTS, "job_size")
    else:
        keys = [c["key"] for c in weights["criteria"]]
    per_scorer = _by_scorer(inputs, candidates, keys)
    n = len(candidates)
    if not per_scorer:
        return np.zeros((draws, n))
    if method == scoring.WEIGHTED:
        criteria = weights["criteria"]
        factors = selection.weight_draws([c["weight"] for c in criteria], perturb=perturb, draws=draws, seed=seed)
        better = [bool(c["higher_is_better"]) for c in criteria]
        layers = []
        for matrix in per_scorer:
            layer = np.full((draws, n), np.nan)
            rated = ~np.isnan(matrix).any(axis=1)
            if rated.any():
                layer[:, rated] = scoring.weighted_scores(matrix[rated], factors, better, 5)
            layers.append(layer)
    elif method == scoring.WSJF:
        factors = selection.weight_draws([1.0, 1.0, 1.0], perturb=perturb, draws=draws, seed=seed)
        layers = [(factors @ matrix[:, :3].T) / matrix[:, 3] for matrix in per_scorer]
    else:
        moved = rng.uniform(1 - perturb, 1 + perturb, size=(draws, n, len(RICE_PARTS)))
        layers = []
        for matrix in per_scorer:
            estimate = matrix[None, :, :] * moved
            confidence = np.minimum(estimate[..., 2] / 100, 1.0)  # asked as a percentage
            layers.append(estimate[..., 0] * estimate[..., 1] * confidence / estimate[..., 3])
    stack = np.stack(layers)  # scorers × draws × candidates
    nobody = np.isnan(stack).all(axis=0)
    filled = np.where(np.isnan(stack), 0.0, stack)
    if weights["combine"] == scoring.MEDIAN:
        combined = np.nanmedian(np.where(nobody[None], 0.0, stack), axis=0)
    else:
        counts = np.maximum((~np.isnan(stack)).sum(axis=0), 1)
        combined = filled.sum(axis=0) / counts
    result: FloatArray = np.where(nobody, 0.0, combined)
    return result


def shares(
    problem: selection.Problem, weights: scoring.Weights, inputs: scoring.Inputs, candidates: Sequence[str]
) -> list[float]:
    """How often each candidate is chosen when the weights vary (see `value_draws`); seeded, so
    the same round gives the same percentages."""
    draws = value_draws(weights, inputs, candidates, draws=ROBUSTNESS_DRAWS, seed=ROBUSTNESS_SEED)
    return selection.selection_shares(problem, draws, time_limit_s=ROBUSTNESS_DRAW_SECONDS, seconds=ROBUSTNESS_SECONDS)
