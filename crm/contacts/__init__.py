"""People, organisations and their dated roles."""
