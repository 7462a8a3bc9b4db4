"""Campaigns (cases): asks, milestones, supporters."""
