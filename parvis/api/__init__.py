"""parvis.api."""
