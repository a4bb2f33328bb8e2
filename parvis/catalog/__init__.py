"""parvis.catalog."""
