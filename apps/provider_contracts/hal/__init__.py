"""HAL bodies of provider contracts and their self-verification results."""
