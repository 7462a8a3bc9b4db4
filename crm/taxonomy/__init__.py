"""Admin-editable vocabularies: categories, organisation types, tags."""
