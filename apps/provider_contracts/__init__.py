"""OpenAPI provider contracts (bi-directional contract testing): publication, self-verification, and
comparison with consumer pacts. The comparison engine is `comparison/` (a pure function, no models)."""
