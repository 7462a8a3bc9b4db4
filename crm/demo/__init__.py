"""Demo data from the Dzhakishev case."""
