"""The PostgreSQL cursor used with server-side binding (DATABASE_PREPARED_STATEMENTS, issue 17).

PostgreSQL's protocol carries at most 65,535 parameters in one bound statement, and psycopg refuses
more ("number of parameters must be between 0 and 65535"). Client-side binding, Django's default,
has no such limit, so a statement whose list is as long as a province's people (an assignment for
everyone, a records check, an export) worked before the statements were prepared. This cursor
keeps server-side binding for every statement that fits, and binds a larger one on the client,
as Django would without server-side binding; such a statement is seldom run twice alike, so
preparing it would gain nothing."""

import psycopg
from django.db.backends.postgresql.base import ServerBindingCursor

MAX_BOUND_PARAMETERS = 65_535


class ServerBindingUnlessTooMany(ServerBindingCursor):
    def execute(self, query, params=None, *, prepare=None, binary=None):
        if params is not None and len(params) > MAX_BOUND_PARAMETERS:
            with psycopg.ClientCursor(self.connection) as client:
                query = client.mogrify(query, params)
            params = None
        return super().execute(query, params, prepare=prepare, binary=binary)
