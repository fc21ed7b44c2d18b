"""HTTP resources of the matrix, can-i-deploy and the deployability badges: `views.py` (thin: parse
with `query_params.py`, call `service.py`, render with `hal/`)."""
