"""What this SCIM service provider offers (RFC 7643 §5-7): ServiceProviderConfig, ResourceTypes
and the Schemas of the attributes we keep. Attributes an identity provider may send that we do not
keep (title, phone numbers, the enterprise extension...) are accepted and ignored (`IGNORED`)."""

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE_USER_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
SPC_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"

MAX_RESULTS = 200  # largest `count` of one page
MAX_PAYLOAD = 1024 * 1024  # bytes of one request body

# Core User attributes an identity provider commonly maps that we do not store: accepted, ignored
# (Azure AD's default mapping sends several; refusing them would stop its provisioning).
IGNORED = frozenset(
    name.lower()
    for name in (
        "title",
        "nickName",
        "profileUrl",
        "preferredLanguage",
        "locale",
        "timezone",
        "phoneNumbers",
        "addresses",
        "ims",
        "photos",
        "entitlements",
        "roles",
        "x509Certificates",
        "password",
        "name.middleName",
        "name.honorificPrefix",
        "name.honorificSuffix",
    )
)


def _attribute(name, type_="string", *, multi=False, required=False, mutability="readWrite", unique="none", **more):
    return {
        "name": name,
        "type": type_,
        "multiValued": multi,
        "required": required,
        "caseExact": False,
        "mutability": mutability,
        "returned": "default",
        "uniqueness": unique,
        **more,
    }


USER_ATTRIBUTES = [
    _attribute("userName", required=True, unique="server", description="The identity provider's username."),
    _attribute(
        "name",
        "complex",
        subAttributes=[_attribute("formatted"), _attribute("givenName"), _attribute("familyName")],
    ),
    _attribute("displayName"),
    _attribute(
        "emails",
        "complex",
        multi=True,
        required=True,
        subAttributes=[_attribute("value"), _attribute("type"), _attribute("primary", "boolean")],
        description="The primary (or first) address is the person's email in the broker; it must be unique.",
    ),
    _attribute("active", "boolean", description="false deactivates: frees the seat and revokes every token."),
    _attribute("userType", canonicalValues=["Editor", "Viewer"], description="The seat type (default Editor)."),
    _attribute(
        "groups",
        "complex",
        multi=True,
        mutability="readOnly",
        subAttributes=[_attribute("value", mutability="readOnly"), _attribute("display", mutability="readOnly")],
    ),
]
GROUP_ATTRIBUTES = [
    _attribute("displayName", required=True, unique="server", description="The team's name."),
    _attribute(
        "members",
        "complex",
        multi=True,
        subAttributes=[
            _attribute("value", mutability="immutable"),
            _attribute("display", mutability="readOnly"),
            _attribute("$ref", "reference", mutability="immutable", referenceTypes=["User"]),
        ],
    ),
]


def _meta(base: str, resource_type: str, ident: str) -> dict:
    return {"resourceType": resource_type, "location": f"{base}/{resource_type}s/{ident}"}


def schemas(base: str) -> list[dict]:
    return [
        {
            "schemas": [SCHEMA_SCHEMA],
            "id": USER_SCHEMA,
            "name": "User",
            "description": "A person of the organisation.",
            "attributes": USER_ATTRIBUTES,
            "meta": _meta(base, "Schema", USER_SCHEMA),
        },
        {
            "schemas": [SCHEMA_SCHEMA],
            "id": GROUP_SCHEMA,
            "name": "Group",
            "description": "A team.",
            "attributes": GROUP_ATTRIBUTES,
            "meta": _meta(base, "Schema", GROUP_SCHEMA),
        },
    ]


def resource_types(base: str) -> list[dict]:
    return [
        {
            "schemas": [RESOURCE_TYPE_SCHEMA],
            "id": "User",
            "name": "User",
            "endpoint": "/Users",
            "description": "People (seats).",
            "schema": USER_SCHEMA,
            "schemaExtensions": [],
            "meta": _meta(base, "ResourceType", "User"),
        },
        {
            "schemas": [RESOURCE_TYPE_SCHEMA],
            "id": "Group",
            "name": "Group",
            "endpoint": "/Groups",
            "description": "Teams.",
            "schema": GROUP_SCHEMA,
            "schemaExtensions": [],
            "meta": _meta(base, "ResourceType", "Group"),
        },
    ]


def service_provider_config(base: str, docs_url: str) -> dict:
    return {
        "schemas": [SPC_SCHEMA],
        "documentationUri": docs_url,
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": MAX_PAYLOAD},
        "filter": {"supported": True, "maxResults": MAX_RESULTS},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        "etag": {"supported": False},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "Bearer token",
                "description": "The read/write token of a system account holding the SCIM role.",
                "primary": True,
            }
        ],
        "meta": {"resourceType": "ServiceProviderConfig", "location": f"{base}/ServiceProviderConfig"},
    }
