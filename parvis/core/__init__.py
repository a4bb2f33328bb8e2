"""parvis.core."""
