"""`flask --app wsgi crm duplicates [--json] [--limit N]`: likely duplicate people, best first; pairs
marked as different people (crm.duplicates.distinct) are left out.

--json prints a list of {"a", "b", "score", "reasons"}: the two person ids (a < b), the score
(0-1) and why. Exit code 0 whether or not duplicates were found.
"""

from __future__ import annotations

import json

import click

from crm.cli import crm_cli
from crm.duplicates.finder import find_duplicates, people_names
from crm.extensions import db


@crm_cli.command("duplicates")
@click.option("--json", "as_json", is_flag=True, help='Print [{"a", "b", "score", "reasons"}] with person ids.')
@click.option("--limit", type=click.IntRange(min=1), help="At most this many pairs, the likeliest first.")
def duplicates_command(as_json: bool, limit: int | None) -> None:
    """List people who are probably the same person, with the score and the reasons."""
    pairs = find_duplicates(db.session, limit=limit)
    if as_json:
        click.echo(json.dumps([pair.as_json() for pair in pairs], ensure_ascii=False, indent=2))
        return
    if not pairs:
        click.echo("No likely duplicates.")
        return
    names = people_names(db.session, {pair.a_id for pair in pairs} | {pair.b_id for pair in pairs})
    for pair in pairs:
        click.echo(
            f"{pair.score:.2f}  #{pair.a_id} {names.get(pair.a_id, '?')}  ~  #{pair.b_id} {names.get(pair.b_id, '?')}"
        )
        click.echo(f"      {'; '.join(pair.reasons)}")
    click.echo(f"{len(pairs)} likely duplicate pair{'s' if len(pairs) != 1 else ''}.")
