"""Domain operations: verb-first functions taking ``*, session`` that never commit."""
