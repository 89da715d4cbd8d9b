"""``cohort summary``: counts per criterion and category from a results Parquet file, with how
many persons the unknown items could move to a higher category and the score range."""

from __future__ import annotations

from pathlib import Path

import duckdb

__all__ = ["plot_summary", "summarise"]


def summarise(results: Path) -> list[tuple[str, str, int, int, str]]:
    """(criterion, category, persons, persons whose unknown items allow another category,
    median score low–high) per criterion and category."""
    con = duckdb.connect()
    target = str(results).replace("'", "''")
    rows = con.execute(
        "SELECT criterion, category, count(*), "
        "count(*) FILTER (WHERE possible LIKE '%,%'), "
        "CASE WHEN count(score_lo) > 0 THEN printf('%.1f–%.1f', median(score_lo), "
        "median(score_hi)) ELSE '' END "
        f"FROM read_parquet('{target}') GROUP BY criterion, category ORDER BY criterion, category"
    ).fetchall()
    con.close()
    return [(str(a), str(b), int(c), int(d), str(e)) for a, b, c, d, e in rows]


def plot_summary(rows: list[tuple[str, str, int, int, str]], path: Path) -> None:
    """A bar chart per criterion: persons per category, hatched part could change."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    criteria = sorted({r[0] for r in rows})
    fig, axes = plt.subplots(len(criteria), 1, figsize=(7, 2.4 * len(criteria)), squeeze=False)
    for axis, criterion in zip(axes[:, 0], criteria, strict=True):
        mine = [r for r in rows if r[0] == criterion]
        names = [r[1] for r in mine]
        axis.barh(names, [r[2] for r in mine], color="0.6", label="persons")
        axis.barh(
            names,
            [r[3] for r in mine],
            color="0.3",
            hatch="//",
            label="unknown items allow another",
        )
        axis.set_title(criterion)
        axis.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
