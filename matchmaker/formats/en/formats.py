"""English dates: one format for dates, one for times, and the zone always said."""

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = r"j M Y, H:i \S\h\a\n\g\h\a\i \t\i\m\e"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
