"""What the UI keeps per person: the applications they marked as favourites (listed first)."""

from django.conf import settings
from django.db import models

from apps.contracts.models import Pacticipant


class Favourite(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    pacticipant = models.ForeignKey(Pacticipant, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "pacticipant"], name="ui_favourite_once")]
