"""Categories and tags as the import's writer names them: read once per file, tags created as rows need them."""

from __future__ import annotations

from sqlalchemy import select

from crm.extensions import db
from crm.folding import plain_fold
from crm.taxonomy.models import Category, Tag
from crm.taxonomy.service import get_or_create_tags, tag_key


class UnknownCategory(ValueError):
    pass


class TaxonomyNames:
    def __init__(self) -> None:
        self._categories: dict[str, int] = {}
        for category_id, name, code in db.session.execute(select(Category.id, Category.name, Category.code)):
            self._categories[plain_fold(name)] = category_id
            if code:
                self._categories[plain_fold(code)] = category_id
        self.category_names: dict[int, str] = dict(db.session.execute(select(Category.id, Category.name)).all())
        # key → (id, name) of the tags known so far; a tag missing here may have been created
        # since (by an update in this file, or by someone else), so misses go to get_or_create_tags.
        self._tags = {
            key: (tag_id, name) for tag_id, key, name in db.session.execute(select(Tag.id, Tag.key, Tag.name))
        }

    def category_id(self, name: str | None) -> int | None:
        """The category named (or coded) so, however it is spelt; raises UnknownCategory."""
        if not name:
            return None
        found = self._categories.get(plain_fold(name))
        if found is None:
            known = ", ".join(sorted(self.category_names.values()))
            raise UnknownCategory(f"“{name}” is not a category here (an admin can add it); categories are: {known}.")
        return found

    def learn_tags(self, names: list[str]) -> None:
        """Ids of the tags a chunk names: the ones not known yet, got or created in one go."""
        missing = [name for name in names if tag_key(name) not in self._tags]
        if missing:
            self._tags.update(get_or_create_tags(missing))

    def tag_ids(self, names: list[str]) -> list[int]:
        """Ids of tags learnt before (learn_tags), once each."""
        keys = (tag_key(name) for name in names)
        return list(dict.fromkeys(self._tags[key][0] for key in keys if key))

    def tag_names(self, names: list[str]) -> list[str]:
        """The names tags have here ("Urgent" for a row's "urgent"), once each."""
        found = {}
        for name in names:
            key = tag_key(name)
            found.setdefault(key, self._tags[key][1] if key in self._tags else name)
        return list(found.values())
