"""What a campaign counts as support: the campaign page (crm.outreach.campaign_overview), the
dashboard's summaries and the supporters report read these."""

SUPPORTING_ROLES = {"from": "wrote", "signatory": "signed"}  # participant role → what the person did
SUPPORTING_EFFECTS = {"acted": "acted", "committed": "committed to act"}  # a reply's outcome effect
