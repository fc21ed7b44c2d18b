"""Writes on secrets, sealed values (other apps' encrypted settings) and data keys. Import from here
(`from apps.secrets import services`); the one module `secrets.py` shares the data key of the tenant
between the three."""

from apps.secrets.services.secrets import (
    NAME_PATTERN,
    data_key_rewrap,
    data_key_rotate,
    sealed_value_delete,
    sealed_value_exists,
    sealed_value_get,
    sealed_value_put,
    secret_create,
    secret_delete,
    secret_update,
    secret_values_resolve,
)

__all__ = [
    "NAME_PATTERN",
    "data_key_rewrap",
    "data_key_rotate",
    "sealed_value_delete",
    "sealed_value_exists",
    "sealed_value_get",
    "sealed_value_put",
    "secret_create",
    "secret_delete",
    "secret_update",
    "secret_values_resolve",
]
