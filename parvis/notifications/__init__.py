"""parvis.notifications."""
