"""Redaction of secrets, by value, wherever a rendered webhook request can surface.

A webhook editor may use `${user.NAME}` without being allowed to read the secret, so the rendered
request is never shown as rendered: response bodies of the execute endpoints and the UI's Test
button, execution logs (stored and shown), error messages and application logs all pass through
`redact` with the request's sensitive values (substituted secrets, the password, the computed
Basic credentials). Each value is removed in every form it can take on the way out: raw,
URL-escaped (path and query: `quote`, `quote_plus`; the form the URL template applies),
JSON-escaped (a JSON body), and base64 (standard and URL-safe, with and without padding: Basic
auth, or a receiver that echoes it back).
"""

import base64
import json
from urllib.parse import quote, quote_plus

REDACTED = "********"
# A webhook's password (and a sensitive header) as its body shows it; an update sending asterisks back
# keeps the stored value (apps/webhooks/api/contract.py).
MASK = "**********"


def value_forms(value: str) -> set[str]:
    raw = value.encode("utf-8", errors="surrogatepass")
    forms = {
        value,
        quote(value, safe=""),
        quote(value),
        quote_plus(value),
        quote_plus(value, safe="*"),
        json.dumps(value)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1],
    }
    for encoded in (base64.b64encode(raw).decode(), base64.urlsafe_b64encode(raw).decode()):
        forms.update({encoded, encoded.rstrip("=")})
    return {form for form in forms if form}


def redact(text: str, sensitive_values) -> str:
    if not text:
        return text
    forms: set[str] = set()
    for value in sensitive_values:
        if value:
            forms |= value_forms(value)
    ordered = sorted(forms, key=len, reverse=True)
    # Until nothing is left: a value ending in "*" can re-form from the text before it and the mask
    # (each pass removes characters that are not "*", so this ends).
    for _ in range(len(text) + 1):
        if not any(form in text for form in ordered):
            break
        for form in ordered:
            text = text.replace(form, REDACTED)
    return text


def redact_mapping(values: dict, sensitive_values) -> dict:
    return {redact(str(k), sensitive_values): redact(str(v), sensitive_values) for k, v in values.items()}
