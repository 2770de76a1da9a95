"""The site's one way of writing dates in each language (FORMAT_MODULE_PATH): templates and code
say DATE_FORMAT for a day, DATETIME_FORMAT for a moment and YEAR_MONTH_FORMAT for a month, never a
pattern of their own. Input formats stay Django's. Data files (CSV, XLSX, GIFT) keep ISO dates."""
