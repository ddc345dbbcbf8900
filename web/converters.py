"""URL converters shared by the apps' permalinks."""

import datetime as dt


class IsoDateConverter:
    """A YYYY-MM-DD path segment as a `date`; an impossible date (2020-02-30) does not match, so it is a 404."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> dt.date:
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(value) from exc

    def to_url(self, value) -> str:
        return value.isoformat() if isinstance(value, dt.date) else str(value)
