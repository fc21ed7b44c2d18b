"""Fixtures shared by the tenancy tests."""

import io
import logging

import pytest
from django.conf import settings
from django.utils.module_loading import import_string


@pytest.fixture
def json_log():
    stream = io.StringIO()
    config = settings.LOGGING["formatters"]["json"]
    formatter = import_string(config["()"])(fmt=config["fmt"], rename_fields=config["rename_fields"])
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(import_string(settings.LOGGING["filters"]["context"]["()"])())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)
