from django import template

from sso import queries

register = template.Library()


@register.simple_tag(takes_context=True)
def sso_login_choices(context):
    """The organisation's enabled sign-in modes, for the login page (None on the public site)."""
    if context.get("organisation") is None and not context.get("single_tenant"):
        return None
    return queries.login_choices()
