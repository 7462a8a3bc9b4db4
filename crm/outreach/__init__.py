"""The outreach log and the responses to it."""
