"""Marking an application as a favourite (a person's own list: no audit entry, no event)."""

from django.db import transaction

from apps.contracts.models import Pacticipant
from apps.ui.models import Favourite


@transaction.atomic
def favourite_set(*, user, pacticipant: Pacticipant, favourite: bool) -> bool:
    """Add or remove `pacticipant` from `user`'s favourites; returns whether it is one now."""
    if favourite:
        Favourite.objects.get_or_create(user=user, pacticipant=pacticipant)
    else:
        Favourite.objects.filter(user=user, pacticipant=pacticipant).delete()
    return favourite
