"""English dates as Meent writes them: day, month, year and a 24-hour clock, as in Dutch.

Django's "en" formats are American ("Dec. 7, 2026, 2:05 p.m."); Meent's English is the second
language of a European platform, so it follows British usage. Only what is shown is changed:
the input formats (what a form accepts) stay Django's.
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
