"""Activity generators for the benchmark, one per activity table (filled as families land).

Each writes rows with PostgreSQL COPY: `with cursor.copy("COPY t (a, b) FROM STDIN") as copy:
copy.write_row((…))` and returns how many it wrote. Aim for the volumes a province makes in
three years: together at least 30 million rows at scale 1.
"""

from __future__ import annotations
