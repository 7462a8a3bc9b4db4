"""Every list out as a spreadsheet (.xlsx, .csv), safe to open and ready to re-import."""
