"""Demo data from the Dzhakishev case: its organisations, people, campaign and outreach (each in its own
module, with the sources they cite), added through the services by the loader."""
