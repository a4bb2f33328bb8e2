"""parvis.intake: one path for every channel, from what arrived to a ticket."""
