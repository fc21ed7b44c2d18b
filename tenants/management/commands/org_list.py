"""List organisations with plan, seats, state and size on disk."""

import json

from django.core.management import BaseCommand

from tenants.operations import organisations_overview


def _size(size: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return str(size)


class Command(BaseCommand):
    help = "List organisations: slug, plan, seats, state (active/suspended), schema size and database server."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="one JSON array, sizes in bytes")

    def handle(self, *args, **options):
        rows = organisations_overview()
        if options["json"]:
            self.stdout.write(json.dumps(rows, indent=2))
            return
        self.stdout.write(f"{'SLUG':<24} {'PLAN':<11} {'SEATS':>5} {'STATE':<10} {'SIZE':>10} {'DATABASE':<12} NAME")
        for row in rows:
            self.stdout.write(
                f"{row['slug']:<24} {row['plan']:<11} {row['seats']:>5} {row['state']:<10} "
                f"{_size(row['size_bytes']):>10} {row['database']:<12} {row['name']}"
            )
        self.stdout.write(f"{len(rows)} organisation(s), {_size(sum(r['size_bytes'] for r in rows))} in all.")
