"""Writes of the portability app: exporting an organisation's data and importing it elsewhere."""

from apps.portability.services.exporting import ExportError, organisation_export
from apps.portability.services.importing import ArchiveError, organisation_import

__all__ = ["ArchiveError", "ExportError", "organisation_export", "organisation_import"]
