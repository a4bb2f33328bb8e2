"""Management commands of parvis.accounts."""
