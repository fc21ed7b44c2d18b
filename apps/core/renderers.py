from rest_framework.renderers import JSONRenderer


class HalJSONRenderer(JSONRenderer):
    media_type = "application/hal+json"
    charset = "utf-8"


class PlainJSONRenderer(JSONRenderer):
    media_type = "application/json"
    charset = "utf-8"


class ProblemJSONRenderer(JSONRenderer):
    media_type = "application/problem+json"
    charset = "utf-8"
