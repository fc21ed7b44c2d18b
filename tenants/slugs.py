"""Rules for an organisation's subdomain slug."""

import re

SLUG_RE = re.compile(r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$")

# Names that would collide with our own hosts, look official, or confuse users.
RESERVED_SLUGS = frozenset(
    """
    www api admin app apps public static media mail email smtp imap pop ftp ns ns1 ns2 dns
    assets cdn status help support docs blog billing login logout signup register auth sso
    account accounts dashboard broker pact pactflow webhook webhooks test staging dev demo-admin
    root system internal tenant tenants template tenant-template localhost spare spares
    """.split()
)
# Prefixes no new organisation may use: PostgreSQL's own `pg_`, and `spare-`, which maps to the spare
# schema pool's old `spare_` prefix (see tenants/spares.py for the takeover this closed).
RESERVED_PREFIXES = ("pg-", "spare-")


def slug_problem(slug: str) -> str | None:
    """Why a slug cannot be used, in words for the person choosing it, or None if it can."""
    if not 3 <= len(slug) <= 40:
        return "The subdomain must be 3 to 40 characters long."
    if not SLUG_RE.match(slug):
        return (
            "The subdomain may contain only lowercase letters, digits and hyphens, "
            "must start with a letter and must not end with a hyphen."
        )
    if "--" in slug:
        return "The subdomain must not contain two hyphens in a row."
    if slug in RESERVED_SLUGS or slug.startswith(RESERVED_PREFIXES):
        return f"The subdomain “{slug}” is reserved. Please choose another."
    return None


def schema_name_for_slug(slug: str) -> str:
    """Schema names cannot hold hyphens; slugs cannot hold underscores, so this is one-to-one."""
    return slug.replace("-", "_")
