"""The terminal progress bar of `manage.py broker_import`: a bar over the versions visited (each
twice: for itself, then for its pacts), the counts imported and an ETA."""

import io
from types import SimpleNamespace

from apps.broker_import.importer import COUNTED
from apps.broker_import.progress import ProgressBar


def _importer(done: int, eta: float | None):
    counts = dict.fromkeys(COUNTED, 0) | {"versions": 120, "pacts": 300, "verifications": 900}
    return SimpleNamespace(
        totals={"versions": 200},
        units_done=done,
        counts=counts,
        run=SimpleNamespace(phase="pacts"),
        eta_seconds=lambda: eta,
    )


def test_the_line_shows_the_bar_the_phase_the_counts_and_the_eta():
    line = ProgressBar(io.StringIO(), width=10).line(_importer(done=300, eta=3725))

    assert line == (
        "[#######...] pacts        versions 120  pacts 300  verifications 900  deployments 0  releases 0  ETA 1:02:05"
    )


def test_without_a_rate_yet_the_eta_is_unknown_and_a_log_gets_whole_lines():
    stream = io.StringIO()
    bar = ProgressBar(stream, width=10)

    bar.finish(_importer(done=0, eta=None))

    assert stream.getvalue() == (
        "[..........] pacts        versions 120  pacts 300  verifications 900  deployments 0  releases 0  ETA --:--\n"
    )
