"""Process tuning shared by the web entry point (config/wsgi.py) and the benchmarks."""

import gc


def heap_freeze() -> None:
    """Move everything loaded so far (Django, the apps, URL resolvers, templates) out of the garbage
    collector's sight. Without it, each full collection walks that whole start-up heap and stalls a
    request for 100 ms or more now and then (measured on can-i-deploy: p99 150 ms -> 25 ms)."""
    gc.collect()
    gc.freeze()
