"""The refusals of sign-in and of its settings, shared by the SAML checks, the services and the views."""


class SsoError(Exception):
    """A refusal with a message fit to show to the person signing in or configuring."""


class SeatsExhausted(SsoError):
    pass
