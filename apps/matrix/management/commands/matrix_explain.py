"""Print EXPLAIN (ANALYZE, BUFFERS) of the SQL statements one can-i-deploy runs, in a tenant schema.

    manage.py matrix_explain --schema acme --pacticipant Foo --pacticipant-version 1 --environment prod

Not a test and not part of any run: a tool to check plan shapes (index scans on bounded ranges,
no Seq Scan on big tables) against a realistic data set.
"""

from django.core.management.base import BaseCommand
from django.db import connection
from django_tenants.utils import schema_context

from apps.matrix.service import MatrixQueryInvalid, can_i_deploy


class Command(BaseCommand):
    help = "EXPLAIN the matrix statements of one can-i-deploy query"

    def add_arguments(self, parser):
        parser.add_argument("--schema", required=True)
        parser.add_argument("--pacticipant", required=True)
        parser.add_argument("--pacticipant-version", dest="pacticipant_version", required=True)
        parser.add_argument("--environment")
        parser.add_argument("--to")

    def handle(self, *args, **options):
        captured = []

        def capture(execute, sql, params, many, context):
            if sql.lstrip().upper().startswith("WITH"):
                captured.append((sql, params))
            return execute(sql, params, many, context)

        with schema_context(options["schema"]):
            with connection.execute_wrapper(capture):
                try:
                    can_i_deploy(
                        pacticipant=options["pacticipant"],
                        version=options["pacticipant_version"],
                        environment=options["environment"],
                        to_tag=options["to"],
                    )
                except MatrixQueryInvalid as invalid:
                    self.stderr.write("; ".join(invalid.errors))
                    return
            for index, (sql, params) in enumerate(captured, start=1):
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) " + sql, params)
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                self.stdout.write(f"-- statement {index}\n{plan}\n")
