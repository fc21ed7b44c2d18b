"""SCIM 2.0 (RFC 7643, RFC 7644): an organisation's identity provider (Okta, Azure AD / Entra ID,
OneLogin...) provisions its people and teams here.

- Users are our people (never system accounts); Groups are our teams. `userName` is PactFlow's
  `externalIdpUsername`, `externalId` its `externalIdpId`; `userType` is the seat type (Editor or
  Viewer). A provisioned person has no password: they sign in with SAML, matched by email.
- Only for organisations whose plan includes SCIM (Enterprise) and whose SAML sign-in is on, and
  only for a system account holding the SCIM role (`api.ScimPermission`).
- Every write goes through the accounts services (`services.py`), so seats, audit entries and the
  last-administrator rule are the admin API's; deactivating also kills every token of the person.
- Filters are parsed by `scim2-filter-parser` into Django Q objects (`filters.py`); PATCH
  operations, including Okta's path-less `{"op": "replace", "value": {"active": false}}` and Azure
  AD's `Replace` with `emails[type eq "work"].value`, are in `patch.py`.
- Every error is SCIM's `urn:ietf:params:scim:api:messages:2.0:Error` body (`errors.py`).

Served under `/scim/v2/` and, as PactFlow documents it, `/scim/` (docs/scim.md).

Why `scim2-filter-parser` alone and not `django-scim2` (which uses it): django-scim2's views are its
own (not `BrokerAPIView`: no tenant guard, no one-transaction-per-write, not our permission gate), its
adapters save models directly (so no seat check, audit entry or token revocation unless each is
re-implemented beside the services), and its list filtering runs raw SQL over table names. The
protocol part it would save is small next to those; the filter grammar, the part worth a library,
is the library's.
"""
