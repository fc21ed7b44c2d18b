"""Response bodies of the identity API: users, roles, teams, tokens and audit events."""
