"""`make bench`: run the benchmarks and write bench/RESULTS.md.

    python -m bench                 # every benchmark
    python -m bench tenancy         # only some (their sections in RESULTS.md are replaced)

Each benchmark is a module in bench/ with `NAME`, `TITLE` and `run() -> str` (markdown). Results are
kept per benchmark in bench/results/<name>.md and assembled into bench/RESULTS.md.
Benchmarks use their own database (BENCH_DATABASE_URL, default contract_broker_bench on the local
PostgreSQL) and never touch the development or test databases.
"""

import importlib
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    "tenancy",
    "broker",
    "matrix",
    "pfv",
    "webhooks",
    "bdct",
    "bdct_publish",
    "http",
    "side_by_side",
    "broker_import",
    "organisation_data",
]


def machine() -> str:
    return f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.machine()}"


def assemble() -> None:
    parts = [
        "# Benchmark results\n",
        "Figures from `make bench` (each section says when and where it ran). Targets come from the issues;",
        "timings are wall-clock on the machine named.\n",
    ]
    for name in BENCHMARKS:
        path = HERE / "results" / f"{name}.md"
        if path.exists():
            parts.append(path.read_text())
    (HERE / "RESULTS.md").write_text("\n".join(parts))


def main(argv: list[str]) -> int:
    os.environ.setdefault("BROKER_DEVELOPMENT", "true")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("LOG_FORMAT", "text")
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/contract_broker_bench"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Tasks the benchmarks queue (webhook events of their publishes) go to a folder of their own, never
    # to the queue `make run`'s worker reads (var/celery).
    os.environ.setdefault("CELERY_FILESYSTEM_DIR", str(HERE.parent / "var" / "bench-celery"))
    names = argv or BENCHMARKS
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        print(f"== {module.TITLE}", flush=True)
        started = time.monotonic()
        body = module.run()
        header = (
            f"## {module.TITLE}\n\n_Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on "
            f"{machine()}, {time.monotonic() - started:.0f} s in all._\n\n"
        )
        (HERE / "results" / f"{name}.md").write_text(header + body + "\n")
        print(body, flush=True)
    assemble()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
