"""Bi-directional contract testing: is a consumer's pact compatible with a provider's OpenAPI description?

A provider that does not run Pact publishes its OpenAPI description (a *provider contract*) and the
result of its own tests against it. The broker then checks statically, without calling anything,
that every request of a consumer's pact is one the description accepts and that every response the
consumer expects is one the description promises. This package is that check: a pure function,

    compare(pact: dict, openapi: str, content_type: str | None) -> ComparisonResult

with a verdict (`compatible`) and a list of mismatches, each at an interaction (index, description)
and a place of the description (path template, method, response key, JSON pointer), with a code and
a message a consumer developer can act on. It never raises for bad input.

PactFlow's comparator (the MIT-licensed npm package `@pactflow/openapi-pact-comparator`) is the
reference: tests/provider_contracts/test_oracle.py runs both on a corpus and requires the same
verdicts, except for the disagreements listed (and argued) in that corpus and in
docs/bi-directional.md. Its error codes are ours.

How a comparison runs:

0. Read the description (documents.py): JSON or YAML 1.2; OpenAPI 3.0, 3.1 or Swagger 2.0, else
   one error `spec.unparsable`. Breaches of the specification (openapi-spec-validator) and references
   that point nowhere are warnings: the comparison goes on with what can be understood. The
   conformance check is the costly step (about 0.5 s for 300 operations of OpenAPI 3.0, seconds for
   3.1): `compare(..., check_description=False)` skips it for callers that run
   `description_problems(text)` once per description.
1. Prepare it once (context.py, cached per text): two rewritten copies of its schemas (views.py):
   the *request view*, OpenAPI's dialect turned into JSON Schema (`nullable`, boolean exclusive
   bounds, `allOf` merged, `discriminator`), and the *response view*, which also drops `required`
   (a pact shows only what its consumer reads) and closes object schemas (`additionalProperties:
   false`: a consumer may rely only on documented fields); a router over the path templates
   (routing.py).
2. Read the pact (documents.py): HTTP interactions of any pact version; messages and other
   non-HTTP interactions are reported as not comparable (a warning). Matching rules are ignored, as
   PactFlow does: the pact's example values are validated against the schemas, and an example
   generated from a type or regex matcher is a value of that type or pattern.
3. For each HTTP interaction (engine.py): find the operation (method + path; unknown → error, and
   nothing more is checked); check the request (request_checks.py): path parameters, security,
   Accept and Content-Type, header parameters, query parameters, body; then the response
   (response_checks.py): status (exact, `2XX` range, `default` as a warning), Content-Type, headers,
   body. Parameters are read from text and coerced to their schema's types (parameters.py); bodies
   and parameters are validated with `jsonschema`, `$ref`s resolved by `referencing`
   (validation.py). Request checks other than path, Accept and Content-Type are skipped when the
   interaction's response status is 400 or more (a deliberately bad request).
4. The verdict: compatible when no mismatch is an error.
"""

from apps.provider_contracts.comparison.engine import compare, description_problems
from apps.provider_contracts.comparison.result import ComparisonResult, Mismatch

__all__ = ["compare", "description_problems", "ComparisonResult", "Mismatch"]
