"""parvis.tickets."""
