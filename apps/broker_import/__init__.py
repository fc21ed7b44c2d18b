"""Import from a running Pact Broker (the open-source one, PactFlow, or another instance of ours)
over its public HAL API: `manage.py broker_import` and Settings > Import (docs/migrating.md)."""
