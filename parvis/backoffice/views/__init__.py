"""Views of the agents' back office, one module per screen or group of actions."""
