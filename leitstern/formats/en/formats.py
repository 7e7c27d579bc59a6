"""English dates as "23 Nov 2026", not Django's US "11/23/2026": day before month, as the
cycle names and the rest of the English text have it, and unambiguous for readers elsewhere.

Display formats only: what people type (DATE_INPUT_FORMATS) stays Django's English list,
which starts with ISO dates ("2026-11-23") as the date fields send them.
"""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1  # Monday, as the weekly check-in
