"""SQL helpers every feature may use: reading rows fast (`rows`) and writing many at once (`bulk_insert`).

Core code: nothing here imports a feature, so a side effect a feature cares about (a report's
data changed) is for the caller to say."""
