"""HAL bodies of verification results."""
