"""Response bodies of the UI app's API (the JSON dashboard)."""
