"""Parvis: the helpdesk of French communes."""
