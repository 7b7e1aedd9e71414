"""English formats with 24-hour times, as the courts write them (Django's English says "8:30 a.m.")."""

TIME_FORMAT = "H:i"
DATETIME_FORMAT = "N j, Y, H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
