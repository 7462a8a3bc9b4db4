"""Field-by-field audit trail."""
