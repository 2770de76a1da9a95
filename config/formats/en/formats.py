# "4 Dec 2026": day, short month, year reads the same to British and American readers, whereas
# Django's "m/d/Y" default is read as day/month by most of the city's English readers.
DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = DATE_FORMAT
DATETIME_FORMAT = "j M Y H:i"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
YEAR_MONTH_FORMAT = "M Y"
