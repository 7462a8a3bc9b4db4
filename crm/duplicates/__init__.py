"""Likely duplicate people: scoring a pair, listing the database's duplicates, merging two people."""
