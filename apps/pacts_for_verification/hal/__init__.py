"""HAL bodies of pacts for verification."""
