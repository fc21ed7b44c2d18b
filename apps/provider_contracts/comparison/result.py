"""What a comparison answers: a verdict and the mismatches behind it.

Codes are PactFlow's (`request.body.incompatible`, `response.status.unknown`, ...: its comparator's
`code` field, see docs/bi-directional.md) so that results can later be served in PactFlow's
`crossContractVerificationResults` shape; codes of our own start with `spec.`, `pact.` or
`interaction.`. A mismatch of severity `error` makes the pact incompatible; a `warning` is shown to
the consumer but never fails the comparison (as in PactFlow).
"""

from dataclasses import asdict, dataclass, field

ERROR = "error"
WARNING = "warning"

# Codes of our own (PactFlow's comparator throws instead, or is silent).
SPEC_UNPARSABLE = "spec.unparsable"  # not JSON/YAML, or not an OpenAPI/Swagger document
SPEC_INVALID = "spec.invalid"  # parsed, but breaks the OpenAPI specification (warning)
SPEC_REFERENCE_UNRESOLVED = "spec.reference.unresolved"  # a $ref that points nowhere (warning)
PACT_UNPARSABLE = "pact.unparsable"  # no interactions list, or an HTTP interaction without method/path/status
INTERACTION_NOT_COMPARABLE = "interaction.not-comparable"  # messages and other non-HTTP interactions (warning)


@dataclass(frozen=True)
class Mismatch:
    """One finding, at an interaction of the pact and a place in the OpenAPI description."""

    code: str
    severity: str  # ERROR or WARNING
    message: str  # for a consumer developer: what differs and what the provider documents
    interaction_index: int | None = None  # position in the pact's `interactions`
    interaction_description: str | None = None
    provider_state: str | None = None
    pact_location: str | None = None  # e.g. "interactions[2].response.body.items[0].name"
    spec_path: str | None = None  # the path template, e.g. "/pets/{id}"
    spec_method: str | None = None  # lower case, as in the description: "get"
    spec_status: str | None = None  # the response key used: "200", "2XX" or "default"
    spec_pointer: str | None = None  # JSON pointer into the description, e.g. "/paths/~1pets/get/responses"

    def to_dict(self) -> dict:
        """JSON-ready, camelCase like the broker's other resources; absent places are left out."""
        return {_camel(key): value for key, value in asdict(self).items() if value is not None}


@dataclass
class ComparisonResult:
    """The verdict: `compatible` when no mismatch is an error."""

    mismatches: list[Mismatch] = field(default_factory=list)
    specification: str | None = None  # "openapi-3.0", "openapi-3.1", "swagger-2.0" or None when unreadable
    interactions_compared: int = 0

    @property
    def compatible(self) -> bool:
        return not self.errors

    @property
    def errors(self) -> list[Mismatch]:
        return [m for m in self.mismatches if m.severity == ERROR]

    @property
    def warnings(self) -> list[Mismatch]:
        return [m for m in self.mismatches if m.severity == WARNING]

    def to_dict(self) -> dict:
        return {
            "compatible": self.compatible,
            "specification": self.specification,
            "interactionsCompared": self.interactions_compared,
            "mismatches": [m.to_dict() for m in self.mismatches],
        }


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(word.capitalize() for word in rest)


def pointer(*parts) -> str:
    """A JSON pointer (RFC 6901) from unescaped parts: pointer("paths", "/pets", "get") == "/paths/~1pets/get"."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)
