"""Request material: the shared form and the download route (``GET /materials/<id>``)."""
