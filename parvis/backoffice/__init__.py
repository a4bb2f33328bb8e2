"""parvis.backoffice."""
