"""HAL bodies and links of environments, deployed versions and released versions."""
