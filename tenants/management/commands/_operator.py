"""What the org_* operator commands share: the --operator option and turning refusals into errors."""

from django.core.management import BaseCommand, CommandError

from tenants.operations import OperationError, Operator


class OperatorCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument(
            "--operator", help="who runs this, for the audit log (default: BROKER_OPERATOR or the login name)"
        )

    def handle(self, *args, **options):
        try:
            operator = Operator.current(options.pop("operator", None))
            return self.operate(operator, **options)
        except OperationError as exc:
            raise CommandError(str(exc)) from exc

    def operate(self, operator: Operator, **options):  # pragma: no cover - each command defines it
        raise NotImplementedError
