"""Property-based fuzzing (hypothesis) of the import's readers, the value rules and the cleaners.

Any input gives a result or the documented refusal (UnreadableFile with a one-line message, a
ValueError, a Problem), never another exception, a hang or unbounded memory: the reader
process's limits bound time and memory, the fuzzing finds what else breaks. A crash it found
is fixed and kept as an `@example`, so it stays a regular test.

The budget is fixed, so CI runs the same examples every run: derandomised, no example
database, no deadline, and `max_examples` per test (FUZZ plus each test's own): 20 to 60
mutated files per kind of seed and 25 arbitrary files per file name, since most files start
a reader process; 120 to 400 texts or cells per value rule and cleaner. That keeps the folder
well under a minute on a two-core machine; fuzz longer by raising max_examples locally.
"""

from hypothesis import HealthCheck, settings

# Each test adds its own max_examples: @settings(FUZZ, max_examples=...).
FUZZ = settings(deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
