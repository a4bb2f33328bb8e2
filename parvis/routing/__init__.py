"""parvis.routing."""
