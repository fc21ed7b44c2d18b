"""The UI app's one API resource: the broker's JSON dashboard."""
