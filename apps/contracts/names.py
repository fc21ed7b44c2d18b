"""Name rules shared by pacticipants, branches and tags."""

import re

_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|[-_.\s]+")


def display_name_generate(name: str) -> str:
    """The broker's generated display name: split CamelCase and -_. separators, capitalise words.

    e.g. "order-service" -> "Order Service", "OrderAPI" -> "Order API".
    """
    words = [word for word in _WORD_BOUNDARY.split(name) if word]
    return " ".join(word[:1].upper() + word[1:] for word in words) or name
