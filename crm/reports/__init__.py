"""Campaign reports, the cross-campaign view and the engagement scorecard."""
