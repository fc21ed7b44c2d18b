"""Record the reference's answers: run every scenario against the open-source Pact Broker and write
the normalised answers to tests/compat/golden/<group>.json.

    python -m tests.compat.record                 # every scenario
    python -m tests.compat.record -k pacticipant  # only scenarios whose id contains the text
    python -m tests.compat.record --base http://127.0.0.1:9292 --db postgresql://postgres@127.0.0.1:5432/refbroker

The reference is the broker built and started by shared/reference-broker/setup.sh. Before each
scenario its data is wiped (every table of its database but the schema migrations and the config
table, deleted with the foreign-key triggers off), so each scenario starts from an empty broker, as it does on
our side (a fresh organisation rolled back after each test).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import psycopg
import requests

from tests.compat.harness import Response, run
from tests.compat.scenarios import all_scenarios

GOLDEN = Path(__file__).resolve().parent / "golden"
KEEP_TABLES = {"schema_migrations", "schema_info", "config"}


def wiper(db_url: str):
    conn = psycopg.connect(db_url, autocommit=True)
    tables = [
        row[0]
        for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        if row[0] not in KEEP_TABLES
    ]
    # DELETE with the foreign-key triggers off (far quicker than TRUNCATE on small tables), one
    # statement, no durable commit to wait for
    statement = "SET LOCAL session_replication_role = replica; SET LOCAL synchronous_commit = off; " + " ".join(
        f'DELETE FROM "{table}";' for table in tables
    )

    def wipe() -> None:
        with conn.transaction():
            conn.execute(statement)

    return wipe


def sender(base: str):
    session = requests.Session()

    def send(method: str, path: str, headers: dict[str, str], body: bytes | None) -> Response:
        response = session.request(method, base + path, headers=headers, data=body, allow_redirects=False, timeout=60)
        return Response(response.status_code, {k.lower(): v for k, v in response.headers.items()}, response.content)

    return send


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:9292")
    parser.add_argument("--db", default="postgresql://postgres@127.0.0.1:5432/refbroker")
    parser.add_argument("-k", dest="only", default=None, help="record only scenario ids containing this text")
    args = parser.parse_args(argv)

    send = sender(args.base)
    wipe = wiper(args.db)
    GOLDEN.mkdir(exist_ok=True)
    count = 0
    for group, scenarios in all_scenarios().items():
        path = GOLDEN / f"{group}.json"
        golden = json.loads(path.read_text()) if path.exists() else {}
        for scenario in scenarios:
            if args.only and args.only not in scenario.id:
                continue
            wipe()
            golden[scenario.id] = run(scenario, send, args.base)
            count += 1
            print(f"{scenario.id}: {[s['status'] for s in golden[scenario.id]['steps']]}", file=sys.stderr)
        known = {s.id for s in scenarios}
        golden = {k: golden[k] for k in [s.id for s in scenarios] if k in golden and k in known}
        path.write_text(json.dumps(golden, indent=1, ensure_ascii=False) + "\n")
    print(f"recorded {count} scenarios", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
