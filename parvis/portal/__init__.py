"""parvis.portal."""
