"""parvis.accounts."""
