"""HAL bodies of secrets."""
