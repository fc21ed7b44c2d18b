"""`filter=` of SCIM list requests, as Django Q objects, by `scim2-filter-parser`.

The library ignores an attribute it has no mapping for (that part of the filter matches
everything), so `_StrictTranspiler` refuses it instead: an identity provider asking for
`userName eq "x"` on an attribute we do not know must get a 400, never the whole directory.
"""

from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Coalesce, NullIf
from scim2_filter_parser.lexer import SCIMLexer
from scim2_filter_parser.parser import SCIMParser
from scim2_filter_parser.transpilers.django_q_object import Transpiler

from apps.accounts.models import Team, User
from sso.scim.errors import ScimError
from sso.scim.schemas import GROUP_SCHEMA, USER_SCHEMA

FILTER_MAX_LENGTH = 1000


def _with_uris(mapping: dict, uri: str) -> dict:
    """Each attribute also under its schema URI (`urn:...:User:userName eq "x"`)."""
    result = dict(mapping)
    for (attr, sub, _), field in mapping.items():
        result[(attr, sub, uri)] = field
    return result


USER_ATTRIBUTES = _with_uris(
    {
        ("userName", None, None): "scim_user_name",
        ("externalId", None, None): "external_idp_id",
        ("id", None, None): "scim_id",
        ("emails", None, None): "email",
        ("emails", "value", None): "email",
        ("displayName", None, None): "name",
        ("name", "formatted", None): "name",
        ("active", None, None): "is_active",
        ("userType", None, None): "seat_type",
        ("meta", "created", None): "date_joined",
        ("meta", "lastModified", None): "updated_at",
    },
    USER_SCHEMA,
)
GROUP_ATTRIBUTES = _with_uris(
    {
        ("displayName", None, None): "name",
        ("externalId", None, None): "external_idp_id",
        ("id", None, None): "scim_id",
        ("members", None, None): "members__uuid",
        ("members", "value", None): "members__uuid",
        ("meta", "created", None): "created_at",
    },
    GROUP_SCHEMA,
)


class _StrictTranspiler(Transpiler):
    def visit_AttrPath(self, node):
        field = super().visit_AttrPath(node)
        if field is None:
            parts = [node.attr_name] + ([node.sub_attr.value] if node.sub_attr else [])
            raise ScimError(400, f"Filtering on {'.'.join(parts)} is not supported.", "invalidFilter")
        return field


def filter_query(text: str, attributes: dict) -> Q | None:
    """The Q object of a SCIM filter, or ScimError(400, invalidFilter)."""
    if len(text) > FILTER_MAX_LENGTH:
        raise ScimError(400, f"The filter is longer than {FILTER_MAX_LENGTH} characters.", "invalidFilter")
    if "\x00" in text:
        raise ScimError(400, "The filter contains a NUL character.", "invalidFilter")
    try:
        tree = SCIMParser().parse(SCIMLexer().tokenize(text))
        if tree is None:
            raise ValueError("empty")
        return _StrictTranspiler(attributes).transpile(tree)
    except ScimError:
        raise
    except Exception as exc:  # the lexer and parser raise their own types (and ValueError, TypeError...)
        raise ScimError(400, f"The filter is not valid SCIM: {str(exc)[:200]}", "invalidFilter") from None


def users_queryset():
    """People (never system accounts) with the annotations filters name."""
    return User.objects.filter(kind=User.Kind.HUMAN).annotate(
        scim_user_name=Coalesce(NullIf("external_idp_username", Value("")), "email", output_field=CharField()),
        scim_id=Cast("uuid", CharField()),
    )


def groups_queryset():
    return Team.objects.annotate(scim_id=Cast("uuid", CharField()))
