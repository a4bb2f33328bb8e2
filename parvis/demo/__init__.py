"""parvis.demo."""
