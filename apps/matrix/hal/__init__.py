"""HAL bodies of the matrix and can-i-deploy answers."""
