"""Serializers of the API: what it accepts (``inputs``) and what it returns (``outputs``)."""
