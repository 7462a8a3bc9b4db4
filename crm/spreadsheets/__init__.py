"""Spreadsheets every feature may write or read back: a Table of typed columns, written as a
streamed .xlsx (big exports), a small styled workbook (reports) or CSV, with one look, one
formula guard and one set of Excel limits.

Core code: nothing here imports a feature."""
