"""Spreadsheet import: read → find the header → map → normalise → validate → match → apply.

Each stage is a plain module that knows nothing of HTTP, so the web wizard, the CLI and
the API all run the same code:

- `read`: a file on disk → `Sheet` of `RawRow`s (streamed), or `UnreadableFile`.
- `header`: the first rows → `HeaderGuess` (which row holds the labels), and which rows are
  not people at all (blank, totals, notes, a repeated header).
"""
