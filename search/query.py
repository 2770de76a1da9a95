"""Helpers shared by the PostgreSQL and SQLite flavours of search.backend."""

from modelsearch.query import Phrase, PlainText

from .segment import segment_query
from .terms import load_office_terms


def segmented_query(query):
    """The query with its text segmented; unchanged when nothing would be left (a lone 的)."""
    load_office_terms()
    if isinstance(query, (PlainText, Phrase)):
        segmented = segment_query(query.query_string)
        if not segmented:
            return query
        if isinstance(query, Phrase):
            return Phrase(segmented)
        return PlainText(segmented, operator=query.operator)
    return query
