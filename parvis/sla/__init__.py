"""Business calendars, public holidays, service-level deadlines and their escalation."""
