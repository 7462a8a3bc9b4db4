"""Merge fields in text staff write ("Dear {{ salutation }}", "{{ family_name }}"): a sandboxed Jinja.

Used by the salutations, the mailing and later the letters. Templates come from staff, so they run
in jinja2's SandboxedEnvironment (no `__class__`, no `mro`, no callables of our own) and may name only
the fields they are given: an unknown one is refused with its name before anything is sent, rather
than silently rendered as nothing. Values are plain strings, so there is nothing to reach through.
Output is plain text (no autoescape): it goes into an email body, never into HTML.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

from jinja2 import StrictUndefined, Template, TemplateError, meta
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from crm.errors import InvalidInput

MAX_TEMPLATE_CHARS = 50_000

MAX_REPEAT = 1000


class MergeSandbox(ImmutableSandboxedEnvironment):
    """Immutable: not even a list method may change state. `"x" * 10**9` would fill the memory of the
    worker before any output limit applies, so repeating and powers are bounded."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, operator, left, right):
        if operator == "**":
            raise SecurityError("powers are not available in merge fields")
        if isinstance(left, int | float) and isinstance(right, int | float):
            return super().call_binop(context, operator, left, right)
        count = right if isinstance(right, int) else left
        if not isinstance(count, int) or count > MAX_REPEAT:
            raise SecurityError(f"repeating text more than {MAX_REPEAT} times is not available in merge fields")
        return super().call_binop(context, operator, left, right)


def sandboxed_environment(
    *, autoescape: bool = False, environment_class: type[MergeSandbox] = MergeSandbox
) -> MergeSandbox:
    """A new sandbox with the rules above; the letters use one that escapes for Word's XML."""
    # StrictUndefined: `{{ family_name.missing }}` is an error, not an empty string.
    environment = environment_class(autoescape=autoescape, undefined=StrictUndefined, keep_trailing_newline=True)
    environment.globals.clear()  # no range, lipsum, cycler, namespace: a template sees its fields only
    return environment


_ENVIRONMENT = sandboxed_environment()


def check_template(text: str, allowed: Iterable[str], *, field: str = "__all__") -> None:
    """Raise InvalidInput naming the problem: bad syntax, or fields that are not in `allowed`."""
    if len(text) > MAX_TEMPLATE_CHARS:
        raise InvalidInput(f"At most {MAX_TEMPLATE_CHARS} characters.", field)
    try:
        names, _template = _compiled(text)
    except TemplateError as error:
        raise InvalidInput(f"The merge fields cannot be read: {error.message}.", field) from None
    unknown = sorted(names - set(allowed))
    if unknown:
        names = ", ".join("{{ " + name + " }}" for name in unknown)
        raise InvalidInput(f"Unknown merge field{'s' if len(unknown) > 1 else ''}: {names}.", field)


@lru_cache(maxsize=256)
def _compiled(text: str) -> tuple[frozenset[str], Template]:
    """The fields a template names, and the template compiled: once per text, as a mailing renders the same
    subject and body for every recipient (compiling them each time was a fifth of the sending job)."""
    parsed = _ENVIRONMENT.parse(text)
    return frozenset(meta.find_undeclared_variables(parsed)), _ENVIRONMENT.from_string(parsed)


def render(text: str, fields: Mapping[str, str], *, field: str = "__all__") -> str:
    """`text` with its merge fields filled from `fields`; a refused trick or a missing field is InvalidInput."""
    check_template(text, fields, field=field)
    try:
        return _compiled(text)[1].render(dict(fields))
    except SecurityError as error:
        raise InvalidInput(f"Refused in the merge fields: {str(error).rstrip('.')}.", field) from None
    except TemplateError as error:
        raise InvalidInput(f"The merge fields cannot be filled: {error.message}.", field) from None


def named_fields(text: str) -> set[str]:
    """The fields a template names; none for one that does not parse (check_template says why)."""
    try:
        return meta.find_undeclared_variables(_ENVIRONMENT.parse(text))
    except TemplateError:
        return set()
