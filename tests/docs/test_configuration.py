"""docs/configuration.md lists exactly the environment variables the product reads (config/docs.py
finds them in the source), with the defaults the source gives them."""

import textwrap

from config.docs import default_text, disagreements, variables_documented, variables_read


def test_every_variable_read_is_documented_and_every_documented_one_is_read():
    assert disagreements() == []


def test_the_settings_variables_are_found():
    read = variables_read()
    assert read["SECRET_KEY"].path == "config/settings.py"
    assert read["PACT_BROKER_WEBHOOK_RETRY_SCHEDULE"].default == "10 60 120 300 600 1200"
    assert read["INVITATION_MAX_AGE"].default == 7 * 24 * 3600


def test_variables_read_outside_the_settings_are_found_too():
    read = variables_read()
    assert read["WEB_WORKERS"].path == "deploy/gunicorn.conf.py"
    assert read["OTEL_SERVICE_NAME"].path == "config/tracing.py"
    assert read["PORT"].path == "bin/run.py"
    assert read["BROKER_OPERATOR"].path.startswith("tenants/")


def test_a_launcher_repeating_a_settings_variable_does_not_change_its_default():
    # bin/run.py sets BROKER_DEVELOPMENT=true for `make run`; the settings' default stays the one documented.
    assert read_default("BROKER_DEVELOPMENT") == "`false`"


def read_default(name):
    return default_text(variables_read()[name].default)


def test_the_table_rows_of_the_page_are_read_with_their_default_cell():
    page = textwrap.dedent("""
        | Variable | Default | Meaning |
        |---|---|---|
        | `FOO_BAR` | `3` (three) | Foo. |
        Prose naming `NOT_A_ROW` is not a row.
    """)
    assert variables_documented(page) == {"FOO_BAR": "`3` (three)"}


def test_defaults_are_written_as_the_page_writes_them():
    assert default_text(True) == "`true`"
    assert default_text(15.0) == "`15`"
    assert default_text(1.5) == "`1.5`"
    assert default_text("") == "empty"
    assert default_text(["develop", "main"]) == "`develop,main`"
    assert default_text(None) is None
