"""parvis.privacy."""
