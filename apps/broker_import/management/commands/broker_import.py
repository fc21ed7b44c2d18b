"""`manage.py broker_import --source-url URL [--source-token T | --source-user U --source-password P] --org SLUG`

Imports a running Pact Broker's data into an organisation (docs/migrating.md). Run it again to
continue an interrupted import or to bring over what is new since the last run."""

import os

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import tenant_context

from apps.broker_import.importer import COUNTED, run_import
from apps.broker_import.models import ImportRun
from apps.broker_import.progress import ProgressBar
from apps.broker_import.services import import_run_start
from tenants.models import Tenant


class Command(BaseCommand):
    help = "Import pacticipants, versions, pacts, verification results, environments, deployments and webhooks from a running Pact Broker."

    def add_arguments(self, parser):
        parser.add_argument("--source-url", required=True, help="base URL of the broker to import from")
        parser.add_argument("--source-token", default=os.environ.get("SOURCE_BROKER_TOKEN"), help="bearer token")
        parser.add_argument("--source-user", default=os.environ.get("SOURCE_BROKER_USERNAME"))
        parser.add_argument(
            "--source-password",
            default=os.environ.get("SOURCE_BROKER_PASSWORD"),
            help="(or SOURCE_BROKER_PASSWORD, which keeps it out of the process list)",
        )
        parser.add_argument("--org", required=True, help="slug of the organisation to import into")
        parser.add_argument("--workers", type=int, default=8, help="concurrent reads from the source (default 8)")
        parser.add_argument(
            "--deployment-history",
            choices=["all", "current"],
            default="all",
            help="all (default): every version's past deployments and releases (two reads per version and "
            "environment); current: only versions deployed or released now, much faster on a big broker",
        )
        parser.add_argument("--restart", action="store_true", help="start a new run instead of continuing")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **options):
        if options["source_token"] and options["source_user"]:
            raise CommandError("Give --source-token or --source-user/--source-password, not both.")
        if options["source_user"] and not options["source_password"]:
            raise CommandError("--source-user needs --source-password (or SOURCE_BROKER_PASSWORD).")
        tenant = Tenant.objects.filter(slug=options["org"]).first()
        if tenant is None:
            raise CommandError(f"No organisation with the slug {options['org']!r}.")
        bar = None if options["no_progress"] else ProgressBar(self.stderr._out)
        state = {}

        def progress(importer):
            state["importer"] = importer
            if bar is not None:
                bar(importer)

        # The organisation itself, not only its schema: the plan's limits apply to what is imported.
        with tenant_context(tenant):
            run = import_run_start(
                source_url=options["source_url"], started_by="manage.py broker_import", resume=not options["restart"]
            )
            if run.checkpoint:
                self.stdout.write(f"Continuing import #{run.pk} from {run.source_url} ({run.checkpoint}).")
            run = run_import(
                run,
                token=options["source_token"],
                username=options["source_user"],
                password=options["source_password"],
                workers=options["workers"],
                on_progress=progress,
                deployment_history=options["deployment_history"],
            )
        if bar is not None and state.get("importer") is not None:
            bar.finish(state["importer"])
        self.report(run)
        if run.status == ImportRun.Status.FAILED:
            raise CommandError(run.error)
        if run.status == ImportRun.Status.CANCELLED:
            raise CommandError(f"Import #{run.pk} was cancelled; run the command again to continue it.")

    def report(self, run: ImportRun) -> None:
        counts = ", ".join(f"{key} {run.counts.get(key, 0)}" for key in COUNTED)
        self.stdout.write(f"Import #{run.pk} from {run.source_url}: {run.status}. Imported: {counts}.")
        report = run.report or {}
        for item in report.get("webhooks_to_reenter") or []:
            self.stdout.write(f"Webhook {item['webhook']} imported disabled; re-enter: {', '.join(item['fields'])}.")
        for item in report.get("webhooks_refused") or []:
            self.stdout.write(f"Webhook {item['webhook']} not imported: {item['reason']}")
        differences = report.get("differences")
        if differences:
            self.stdout.write(f"The copy differs from the source in {len(differences)} place(s):")
            for line in differences:
                self.stdout.write(f"  - {line}")
        elif differences is not None:
            self.stdout.write(
                "Verified: counts, the latest pact of every integration and can-i-deploy answer as on the source."
            )
