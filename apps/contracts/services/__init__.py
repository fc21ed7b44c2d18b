"""Writes on the contracts domain, split by concept (pacticipants, versions, ...)."""
