"""Stage 4 of the import: cells → clean values and problems, with no database and no request.

`row.normalise_row` cleans one row by field; each field's cleaner lives with its kind of value:
`text` (whitespace, placeholders, lists, ids, tags, yes/no), `names`, `emails`, `phones`,
`countries` (and postcodes, languages), `dates`, `choices` (categories, political groups,
lawful bases). The rules a value shares with the forms are crm.values'; these add what a
spreadsheet cell needs on top.
"""
