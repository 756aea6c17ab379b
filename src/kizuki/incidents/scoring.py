"""Impact scoring, as dinii's System Risk Records do it (pure functions, no database).

An incident's score is scope * effect (scope 1/2/3: how many sites it reached; effect 1/3/5:
how badly their core work suffered; the labels of both scales are the organisation's, see
models.ImpactScale). An impact level is the highest of 10, 6, 3, 1, 0 a score reaches, or
unknown (None). Each severity may name the lowest impact level it stands for
(Severity.min_impact_level); an incident's score suggests the gravest severity it reaches."""

from collections.abc import Iterable

# The impact levels, highest first; None is "unknown".
LEVELS: tuple[int, ...] = (10, 6, 3, 1, 0)
SCOPES: tuple[int, ...] = (1, 2, 3)
EFFECTS: tuple[int, ...] = (1, 3, 5)


def incident_score(scope: int, effect: int) -> int:
    """scope * effect: 1 (a few sites, only work outside the core) to 15."""
    if scope not in SCOPES or effect not in EFFECTS:
        raise ValueError(f"scope must be one of {SCOPES} and effect one of {EFFECTS}")
    return scope * effect


def score_of(scope: int | None, effect: int | None) -> int | None:
    """The score, or None (unknown) while the scope or the effect is not known."""
    if scope is None or effect is None:
        return None
    return incident_score(scope, effect)


def impact_level(score: int | None) -> int | None:
    """The highest level the score reaches; None (unknown) when the score is unknown."""
    if score is None:
        return None
    return next(level for level in LEVELS if score >= level) if score >= 0 else 0


def suggested_severity(
    level: int | None, thresholds: Iterable[tuple[int, int | None]]
) -> int | None:
    """The severity an impact level suggests: of the (severity level, lowest impact level)
    pairs, the gravest severity (SEV1 before SEV2) whose threshold the level reaches. None when
    the level is unknown or no severity has a threshold it reaches."""
    if level is None:
        return None
    reached = [number for number, lowest in thresholds if lowest is not None and level >= lowest]
    return min(reached, default=None)
