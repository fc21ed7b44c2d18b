from rest_framework.parsers import JSONParser


class MergePatchJSONParser(JSONParser):
    media_type = "application/merge-patch+json"
