"""The terminal progress bar of `manage.py broker_import`: phase, a bar over the versions handled
(each is visited twice: once for itself, once for its pacts), counts imported, and an ETA."""

import sys
import time


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class ProgressBar:
    def __init__(self, stream=None, width: int = 30, interval: float = 0.5):
        self.stream = stream or sys.stderr
        self.width = width
        self.interval = interval
        self.last = 0.0
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def line(self, importer) -> str:
        total = 2 * int(importer.totals.get("versions") or 0)
        done = min(importer.units_done, total) if total else 0
        filled = int(self.width * done / total) if total else 0
        counts = importer.counts
        return (
            f"[{'#' * filled}{'.' * (self.width - filled)}] {importer.run.phase:<12} "
            f"versions {counts['versions']}  pacts {counts['pacts']}  verifications {counts['verifications']}  "
            f"deployments {counts['deployments']}  releases {counts['releases']}  "
            f"ETA {_duration(importer.eta_seconds())}"
        )

    def __call__(self, importer) -> None:
        now = time.monotonic()
        if now - self.last < self.interval:
            return
        self.last = now
        if self.tty:
            self.stream.write("\r" + self.line(importer))
        else:  # a log file: a line every 10 s at most
            if now - getattr(self, "_logged", 0.0) < 10:
                return
            self._logged = now
            self.stream.write(self.line(importer) + "\n")
        self.stream.flush()

    def finish(self, importer) -> None:
        if importer is not None:
            self.stream.write(("\r" if self.tty else "") + self.line(importer) + "\n")
            self.stream.flush()
