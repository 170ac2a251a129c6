"""Safe, read-only SQL over the ``marts`` schema of the warehouse.

The guard has three layers:

1. :func:`check_query` parses the SQL with sqlglot (in the analyst's dialect) and accepts exactly one
   read-only query whose every table reference is a ``marts`` table, a CTE in scope, or one of the
   harmless generators ``unnest``/``range``/``generate_series``. Bare table names are qualified to
   ``marts.<name>``, so DuckDB's search path can never resolve them to ``main`` or ``raw``. Everything
   else raises :class:`QueryRefused` with a one-line reason.
2. :func:`run_query` asks DuckDB itself to parse the transpiled SQL (``json_serialize_sql``) and walks
   DuckDB's own tree: one SELECT, base tables only in ``marts`` (or CTE names that name nothing outside
   the marts), allowed table functions only, no denied or user-defined functions.
3. The connection is opened ``read_only=True`` with ``enable_external_access=false`` (no files, no
   ATTACH, no COPY, no extension installs), Python replacement scans and extension auto-loading off,
   and ``lock_configuration=true`` so the query cannot switch any of it back on. Queries are
   interrupted after a time limit (a recursive CTE can run forever).

Layer 1 checks its own output too: the generated DuckDB SQL is parsed again and must pass without
any further qualification, so a scope lost in translation is refused rather than run.

``information_schema``, ``pg_catalog`` and the ``duckdb_*`` functions are refused like any other
schema: they describe ``raw`` and ``main`` too. The column list of every mart is in the README that
``yibao export`` writes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import json
import logging
import math
import re
import threading
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, ParseError, TokenError, UnsupportedError
from sqlglot.tokens import TokenType

logger = logging.getLogger(__name__)

MARTS_SCHEMA = "marts"
DIALECTS = ("duckdb", "mysql", "postgres", "oracle", "tsql")

#: Table functions that only generate rows from their arguments.
ALLOWED_TABLE_FUNCTIONS = frozenset({"unnest", "range", "generate_series"})

#: Functions that reach files, the network, settings, the catalog or other SQL. Checked on the
#: name sqlglot sees and again on the name DuckDB sees.
DENIED_FUNCTION_PATTERN = re.compile(
    r"""^(
        read_\w+ | \w*_scan | glob | sniff_csv | getenv | getvariable | current_setting
        | query | query_table | json_execute_serialized_sql | json_serialize_sql | json_deserialize_sql
        | json_serialize_plan | duckdb_\w+ | pragma_\w* | pg_\w+ | has_\w*privilege | \w*_description
        | parquet_\w+ | sqlite_\w+ | postgres_\w+ | mysql_\w+ | iceberg_\w+ | delta_\w+ | st_read\w*
        | which_secret | checkpoint | force_checkpoint | sleep_ms | load_extension | install_extension
        | enable_\w+ | disable_\w+ | \w*external_resource\w* | truncate_duckdb_logs | summary
        | load_file | \w*read_file\w* | lo_import | lo_export | dblink\w* | openrowset | openquery
        | opendatasource | xp_\w+ | utl_\w+ | dbms_\w+ | bfilename | sys_exec | sys_eval
    )$""",
    re.VERBOSE | re.IGNORECASE,
)

#: File-reading function names, for a more specific reason.
FILE_FUNCTION_PATTERN = re.compile(
    r"^(read_\w+|\w*_scan|glob|sniff_csv|parquet_\w+|load_file|\w*read_file\w*|lo_import|lo_export|bfilename"
    r"|openrowset|opendatasource|utl_file\w*)$",
    re.IGNORECASE,
)

_READ_ONLY = "only one read-only SELECT over the marts can run"

#: Reason per leading keyword (or statement kind) of a statement that is not a query.
STATEMENT_REASONS = {
    "INSERT": "it modifies data",
    "UPDATE": "it modifies data",
    "DELETE": "it modifies data",
    "MERGE": "it modifies data",
    "UPSERT": "it modifies data",
    "REPLACE": "it modifies data",
    "TRUNCATE": "it deletes data",
    "CREATE": "it changes the schema",
    "DROP": "it changes the schema",
    "ALTER": "it changes the schema",
    "RENAME": "it changes the schema",
    "COMMENT": "it changes the schema",
    "GRANT": "it changes permissions",
    "REVOKE": "it changes permissions",
    "ATTACH": "it opens another database",
    "DETACH": "it changes the attached databases",
    "COPY": "it reads or writes files",
    "EXPORT": "EXPORT DATABASE writes files",
    "IMPORT": "IMPORT DATABASE reads files and writes tables",
    "PRAGMA": "it reads or changes database settings",
    "SET": "it changes settings",
    "RESET": "it changes settings",
    "INSTALL": "it downloads an extension",
    "LOAD": "it loads an extension or a file",
    "FORCE": "it installs an extension or writes a checkpoint",
    "CALL": "it runs a table function or procedure",
    "EXEC": "it runs a stored procedure or prepared statement",
    "EXECUTE": "it runs a prepared statement",
    "PREPARE": "it prepares a statement",
    "DEALLOCATE": "it changes prepared statements",
    "USE": "it changes the default database or schema",
    "CHECKPOINT": "it writes to the database file",
    "VACUUM": "it writes to the database file",
    "ANALYZE": "it writes statistics",
    "BEGIN": "transaction control is not needed",
    "START": "transaction control is not needed",
    "COMMIT": "transaction control is not needed",
    "ROLLBACK": "transaction control is not needed",
    "ABORT": "transaction control is not needed",
    "END": "transaction control is not needed",
    "SAVEPOINT": "transaction control is not needed",
    "RELEASE": "transaction control is not needed",
    "LOCK": "it locks tables",
    "UNLOCK": "it unlocks tables",
    "KILL": "it stops other sessions",
    "DECLARE": "it declares variables or cursors",
    "EXPLAIN": "send the query itself, not its plan",
    "DESCRIBE": "it lists catalog details; the columns of every mart are in the `yibao export` README",
    "DESC": "it lists catalog details; the columns of every mart are in the `yibao export` README",
    "SHOW": "it lists catalog details; the columns of every mart are in the `yibao export` README",
    "SUMMARIZE": "it lists catalog details; the columns of every mart are in the `yibao export` README",
    "SELECT INTO": "it creates a table",
}

#: sqlglot node classes that are never part of a read-only query, with the keyword they stand for.
_FORBIDDEN_NODES: tuple[tuple[type[exp.Expression], str], ...] = (
    (exp.Insert, "INSERT"),
    (exp.Update, "UPDATE"),
    (exp.Delete, "DELETE"),
    (exp.Merge, "MERGE"),
    (exp.TruncateTable, "TRUNCATE"),
    (exp.Create, "CREATE"),
    (exp.Drop, "DROP"),
    (exp.Alter, "ALTER"),
    (exp.Comment, "COMMENT"),
    (exp.Grant, "GRANT"),
    (exp.Revoke, "REVOKE"),
    (exp.Attach, "ATTACH"),
    (exp.Detach, "DETACH"),
    (exp.Copy, "COPY"),
    (exp.Export, "EXPORT"),
    (exp.LoadData, "LOAD"),
    (exp.Pragma, "PRAGMA"),
    (exp.Set, "SET"),
    (exp.Install, "INSTALL"),
    (exp.Use, "USE"),
    (exp.Execute, "EXECUTE"),
    (exp.Analyze, "ANALYZE"),
    (exp.Transaction, "BEGIN"),
    (exp.Commit, "COMMIT"),
    (exp.Rollback, "ROLLBACK"),
    (exp.Kill, "KILL"),
    (exp.Lock, "LOCK"),
    (exp.Declare, "DECLARE"),
    (exp.Describe, "DESCRIBE"),
    (exp.Show, "SHOW"),
    (exp.Summarize, "SUMMARIZE"),
    (exp.Cache, "CACHE"),
    (exp.Uncache, "UNCACHE"),
    (exp.Refresh, "REFRESH"),
    (exp.Into, "SELECT INTO"),
)

_QUERY_ROOTS = (exp.Select, exp.SetOperation, exp.Values, exp.Subquery)
_LOOKS_LIKE_FILE = re.compile(
    r"[/\\]|\.(csv|tsv|txt|parquet|json|jsonl|ndjson|xlsx?|db|duckdb|sqlite)$", re.IGNORECASE
)


class QueryRefused(Exception):
    """The SQL is not a single read-only query over the marts; ``reason`` says why, on one line."""

    def __init__(self, reason: str):
        self.reason = " ".join(str(reason).split())
        super().__init__(self.reason)


class QuerySyntaxError(Exception):
    """The SQL does not parse; the message shows the line, the column and the offending text."""

    def __init__(self, message: str, line: int | None = None, col: int | None = None):
        self.line = line
        self.col = col
        super().__init__(message)


class QueryTimeout(Exception):
    """The query ran longer than the time limit and was interrupted."""


class WarehouseNotFound(FileNotFoundError):
    """The DuckDB warehouse file does not exist."""


# --------------------------------------------------------------------------------------------------
# checking


def check_query(sql: str, dialect: str = "duckdb") -> str:
    """Check that ``sql`` is one read-only query over the marts and return it as DuckDB SQL.

    Bare table names come back qualified as ``marts.<name>`` (CTE names stay as they are).

    Parameters
    ----------
    sql:
        The query text, in ``dialect``.
    dialect:
        One of ``duckdb``, ``mysql``, ``postgres``, ``oracle``, ``tsql``.

    Raises
    ------
    QueryRefused
        The SQL is not exactly one read-only query over the marts; ``reason`` says why.
    QuerySyntaxError
        The SQL does not parse; the message shows where.
    """
    dialect = _normalize_dialect(dialect)
    tokens = _tokenize(sql, dialect)
    _check_statements(tokens)

    with _quiet_sqlglot():
        try:
            statements = [s for s in sqlglot.parse(sql, read=dialect) if s is not None]
        except ParseError as error:
            raise _syntax_error(error, sql) from None
        except TokenError as error:
            raise _token_error(error, sql) from None
    if len(statements) != 1:  # the token split above makes this unreachable in practice
        raise QueryRefused(f"several statements ({len(statements)}); send one query at a time")
    tree = statements[0]

    _check_root(tree)
    _check_tree(tree)
    duck_sql = _to_duckdb(tree, dialect)

    # Check the SQL that will actually run, not only the tree it came from: if generating it lost
    # a scope (sqlglot drops a WITH nested inside a set operation, for one), a name that was a CTE
    # would now reach past the marts. The second pass must accept it without qualifying anything.
    with _quiet_sqlglot():
        try:
            again = sqlglot.parse_one(duck_sql, read="duckdb")
        except (ParseError, TokenError) as error:
            raise QueryRefused(
                f"cannot translate this {dialect} query to DuckDB faithfully: {error}"
            ) from None
    _check_root(again)
    if _check_tree(again):
        raise QueryRefused(
            "cannot translate this query to DuckDB faithfully (a WITH nested inside UNION/INTERSECT/EXCEPT?); "
            "move the WITH to the front of the query"
        )
    return duck_sql


def _to_duckdb(tree: exp.Expression, dialect: str) -> str:
    try:
        with _quiet_sqlglot():
            return tree.sql(dialect="duckdb", comments=False, unsupported_level=ErrorLevel.RAISE)
    except UnsupportedError as error:
        raise QueryRefused(f"cannot translate this {dialect} query to DuckDB: {error}") from None


def _normalize_dialect(dialect: str) -> str:
    name = (dialect or "duckdb").strip().lower()
    name = {"postgresql": "postgres", "sqlserver": "tsql", "mssql": "tsql"}.get(name, name)
    if name not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}; choose one of {', '.join(DIALECTS)}")
    return name


@contextlib.contextmanager
def _quiet_sqlglot() -> Iterator[None]:
    """Silence sqlglot's 'falling back to Command' warnings; our own reasons replace them."""
    sqlglot_logger = logging.getLogger("sqlglot")
    level = sqlglot_logger.level
    sqlglot_logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        sqlglot_logger.setLevel(level)


def _tokenize(sql: str, dialect: str) -> list:
    if not isinstance(sql, str):
        raise TypeError(f"sql must be a str, not {type(sql).__name__}")
    try:
        return list(sqlglot.Dialect.get_or_raise(dialect).tokenize(sql))
    except TokenError as error:
        raise _token_error(error, sql) from None


def _check_statements(tokens: list) -> None:
    """Refuse empty input, several statements, and statements whose first keyword is not a query."""
    statements: list[list] = [[]]
    for token in tokens:
        if token.token_type == TokenType.SEMICOLON:
            statements.append([])
        else:
            statements[-1].append(token)
    statements = [s for s in statements if s]
    if not statements:
        raise QueryRefused("empty query; send one SELECT over the marts")
    if len(statements) > 1:
        raise QueryRefused(f"several statements ({len(statements)}); send one query at a time")
    first = next((t for t in statements[0] if t.token_type != TokenType.L_PAREN), statements[0][0])
    keyword = first.text.upper()
    if keyword in STATEMENT_REASONS:
        raise _refuse_statement(keyword)


def _refuse_statement(keyword: str) -> QueryRefused:
    why = STATEMENT_REASONS.get(keyword, "it is not a query")
    return QueryRefused(f"{keyword} is not allowed: {why}; {_READ_ONLY}")


def _syntax_error(error: ParseError, sql: str) -> QuerySyntaxError:
    if not error.errors:
        return QuerySyntaxError(f"syntax error: {error}")
    first = error.errors[0]
    line, col = first.get("line"), first.get("col")
    highlight = first.get("highlight") or ""
    description = first.get("description") or "invalid syntax"
    description = re.sub(r"<class 'sqlglot\.expressions\.[\w.]*?(\w+)'>", r"\1", description)
    message = f"syntax error at line {line}, column {col}: {description}"
    if highlight:
        message += f" (near {highlight!r})"
    return QuerySyntaxError(message + _pointer(sql, line, (col or 1) - len(highlight), highlight), line, col)


def _token_error(error: TokenError, sql: str) -> QuerySyntaxError:
    """Turn sqlglot's tokenizer error (an unclosed quote, mostly) into a message with a position."""
    cause = str(error.__cause__ or error)
    found = re.match(r"Missing (\S+) from \d+:(\d+)", cause)
    if not found:
        return QuerySyntaxError(f"syntax error: {cause}")
    delimiter, offset = found.group(1), min(int(found.group(2)), len(sql))
    line = sql.count("\n", 0, offset) + 1
    col = offset - (sql.rfind("\n", 0, offset) + 1) + 1
    opening = sql[offset : offset + len(delimiter)] or delimiter
    message = f"syntax error at line {line}, column {col}: {opening} is never closed (missing {delimiter})"
    return QuerySyntaxError(message + _pointer(sql, line, col - 1, opening), line, col)


def _pointer(sql: str, line: int | None, start: int, highlight: str) -> str:
    """Two lines: the offending source line and a caret under the offending text."""
    lines = sql.splitlines()
    if not line or not 1 <= line <= len(lines):
        return ""
    text = lines[line - 1]
    marker = " " * _display_width(text[: max(start, 0)]) + "^" * max(_display_width(highlight), 1)
    return f"\n  {text}\n  {marker}"


def _check_root(tree: exp.Expression) -> None:
    if isinstance(tree, exp.Command):
        raise _refuse_statement(str(tree.this).split()[0].upper() if tree.this else "COMMAND")
    for node_class, keyword in _FORBIDDEN_NODES:
        if isinstance(tree, node_class):
            raise _refuse_statement(keyword)
    if isinstance(tree, exp.Subquery) and not isinstance(tree.unnest(), exp.Query):
        raise QueryRefused(f"{_kind(tree.unnest())} is not a query; {_READ_ONLY}")
    if isinstance(tree, exp.Pivot):
        raise QueryRefused(
            "PIVOT at the top level is not allowed; write SELECT * FROM (PIVOT … ON col IN (…) …)"
        )
    if not isinstance(tree, _QUERY_ROOTS):
        raise QueryRefused(
            f"{_kind(tree)} is not a query; only SELECT, WITH … SELECT, UNION/INTERSECT/EXCEPT "
            "and VALUES are allowed"
        )


def _kind(node: exp.Expression) -> str:
    text = node.sql(dialect="duckdb").split()
    return text[0].upper() if text else type(node).__name__.upper()


def _check_tree(tree: exp.Expression) -> list[str]:
    """Walk the tree with the CTE names in scope; refuse what is not allowed, qualify bare tables.

    Returns the bare table names it qualified to ``marts``.
    """
    qualified: list[str] = []
    stack: list[tuple[exp.Expression, frozenset[str]]] = [(tree, frozenset())]
    while stack:
        node, scope = stack.pop()
        _check_node(node, scope, qualified)
        with_ = node.args.get("with_")
        if isinstance(with_, exp.With):
            scope = _push_ctes(with_, scope, stack, qualified)
        for key, child in _children(node):
            if key != "with_":
                stack.append((child, scope))
    return qualified


def _children(node: exp.Expression) -> Iterator[tuple[str, exp.Expression]]:
    for key, value in node.args.items():
        for child in value if isinstance(value, list) else [value]:
            if isinstance(child, exp.Expression):
                yield key, child


def _push_ctes(
    with_: exp.With,
    outer: frozenset[str],
    stack: list[tuple[exp.Expression, frozenset[str]]],
    qualified: list[str],
) -> frozenset[str]:
    """Queue each CTE body with the names it can see; return the scope of the main query.

    The scope is deliberately narrow: a CTE body sees only the CTEs defined before it, and a
    ``WITH RECURSIVE`` CTE sees itself only in the right branch of its top ``UNION``. Where DuckDB's
    own scoping is wider, the reference gets qualified to ``marts`` and simply fails; it can never
    fall through to a table in ``main``.
    """
    scope = set(outer)
    for cte in with_.expressions:
        name = cte.alias_or_name.lower()
        body = cte.this
        for key, child in _children(cte):  # the alias and column names; the body is queued below
            if key != "this":
                stack.append((child, frozenset(scope)))
        if with_.args.get("recursive") and isinstance(body, exp.Union):
            body_scope = frozenset(scope)
            _check_node(body, body_scope, qualified)
            inner = body.args.get("with_")
            if isinstance(inner, exp.With):
                body_scope = _push_ctes(inner, body_scope, stack, qualified)
            for key, child in _children(body):
                if key == "with_":
                    continue
                stack.append((child, body_scope | {name} if key == "expression" else body_scope))
        else:
            stack.append((body, frozenset(scope)))
        scope.add(name)
    return frozenset(scope)


def _check_node(node: exp.Expression, scope: frozenset[str], qualified: list[str]) -> None:
    if isinstance(node, exp.Command):
        raise _refuse_statement(str(node.this).split()[0].upper() if node.this else "COMMAND")
    for node_class, keyword in _FORBIDDEN_NODES:
        if isinstance(node, node_class):
            raise _refuse_statement(keyword)
    if isinstance(node, exp.Table):
        _check_table(node, scope, qualified)
    elif isinstance(node, exp.Lateral):
        if isinstance(node.this, exp.Func):
            _check_table_function(node.this)
        elif not isinstance(node.this, (exp.Subquery, exp.Query)):
            raise QueryRefused(
                f"{node.sql(dialect='duckdb')!r} is not allowed; LATERAL takes a subquery or unnest(…)"
            )
    elif isinstance(node, exp.Dot) and isinstance(node.expression, exp.Func):
        raise QueryRefused(
            f"qualified function call {node.sql(dialect='duckdb')!r} is not allowed; call functions by name"
        )
    elif isinstance(node, exp.Func) and not (
        isinstance(node.parent, (exp.Table, exp.Lateral)) and node.arg_key == "this"
    ):
        name = _function_name(node)
        if DENIED_FUNCTION_PATTERN.match(name):
            raise QueryRefused(f"function {name} is not allowed: {_function_why(name)}")


def _function_name(node: exp.Func) -> str:
    if isinstance(node, exp.Anonymous):
        return node.name.lower()
    return node.sql_name().lower()


def _function_why(name: str) -> str:
    if FILE_FUNCTION_PATTERN.match(name):
        return "it reads files or external data"
    if name.startswith(("duckdb_", "pragma_", "pg_", "sqlite_")) or name.endswith("_description"):
        return "it reads the catalog, which also describes tables outside the marts"
    if name in {"query", "query_table", "json_execute_serialized_sql"}:
        return "it runs other SQL"
    return "it reaches outside the marts"


def _check_table_function(source: exp.Func) -> None:
    name = _function_name(source)
    if name in ALLOWED_TABLE_FUNCTIONS or isinstance(source, (exp.Unnest, exp.GenerateSeries)):
        return
    why = _function_why(name) if DENIED_FUNCTION_PATTERN.match(name) else "it is not a marts table"
    raise QueryRefused(
        f"table function {name} is not allowed: {why}; only marts tables, CTEs, unnest, range "
        "and generate_series can be read"
    )


def _check_table(table: exp.Table, scope: frozenset[str], qualified: list[str]) -> None:
    source = table.this
    if isinstance(source, exp.Func):
        if table.args.get("db") or table.args.get("catalog"):
            raise QueryRefused(f"qualified table function {table.sql(dialect='duckdb')!r} is not allowed")
        _check_table_function(source)
        return
    if not isinstance(source, exp.Identifier):
        raise QueryRefused(f"table source {table.sql(dialect='duckdb')!r} is not allowed; name a marts table")

    name = source.name
    if table.args.get("catalog"):
        raise QueryRefused(
            f"three-part name {table.sql(dialect='duckdb')!r} points into another catalog; "
            f"write {MARTS_SCHEMA}.<table>"
        )
    db = table.args.get("db")
    if db is not None:
        schema = db.name
        if schema.lower() != MARTS_SCHEMA:
            raise QueryRefused(
                f"schema {schema} is not allowed: only tables in schema {MARTS_SCHEMA} can be queried"
            )
        return
    if name.lower() in scope:
        return  # a CTE in scope
    if "@" in name:
        raise QueryRefused(f"database link {name!r} is not allowed; only marts tables can be queried")
    if _LOOKS_LIKE_FILE.search(name):
        raise QueryRefused(f"reading the file {name!r} is not allowed; only marts tables can be queried")
    table.set("db", exp.to_identifier(MARTS_SCHEMA))
    qualified.append(name)


# --------------------------------------------------------------------------------------------------
# running


def connect_read_only(db_path: str | Path) -> duckdb.DuckDBPyConnection:
    """Open the warehouse read-only, with no file system, extension or Python-variable access.

    Parameters
    ----------
    db_path:
        Path of the DuckDB warehouse file.
    """
    path = Path(db_path)
    if not path.is_file():
        raise WarehouseNotFound(f"warehouse not found: {path} (run `make build` to create it)")
    config = {
        "enable_external_access": False,
        "python_enable_replacements": False,
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "allow_community_extensions": False,
        "allow_unsigned_extensions": False,
        "lock_configuration": True,
    }
    return duckdb.connect(str(path), read_only=True, config=config)


#: Seconds a query may run before it is interrupted (a recursive CTE can run forever).
DEFAULT_TIMEOUT_SECONDS = 120.0


def run_query(
    sql: str,
    db_path: str | Path,
    dialect: str = "duckdb",
    *,
    as_arrow: bool = False,
    timeout_seconds: float | None = DEFAULT_TIMEOUT_SECONDS,
):
    """Check ``sql``, then run it on a locked-down read-only connection to the warehouse.

    Parameters
    ----------
    sql:
        The query text, in ``dialect``.
    db_path:
        Path of the DuckDB warehouse file.
    dialect:
        One of ``duckdb``, ``mysql``, ``postgres``, ``oracle``, ``tsql``.
    as_arrow:
        Return a ``pyarrow.Table`` instead of a ``pandas.DataFrame``.
    timeout_seconds:
        Interrupt the query after this many seconds (``None``: no limit).

    Raises
    ------
    QueryRefused, QuerySyntaxError
        As :func:`check_query`, or when DuckDB's own parse of the query shows something not allowed.
    WarehouseNotFound
        ``db_path`` does not exist.
    QueryTimeout
        The query ran longer than ``timeout_seconds``.
    duckdb.Error
        The query is allowed but fails in DuckDB (unknown column, type error, …).
    """
    duck_sql = check_query(sql, dialect)
    with connect_read_only(db_path) as con:
        verify_with_duckdb(con, duck_sql)
        timer = threading.Timer(timeout_seconds, con.interrupt) if timeout_seconds else None
        if timer is not None:
            timer.daemon = True
            timer.start()
        try:
            relation = con.sql(duck_sql)
            return relation.to_arrow_table() if as_arrow else relation.df()
        except duckdb.InterruptException:
            raise QueryTimeout(f"query stopped after {timeout_seconds:g} seconds") from None
        finally:
            if timer is not None:
                timer.cancel()


def verify_with_duckdb(con: duckdb.DuckDBPyConnection, duck_sql: str) -> None:
    """Second check on DuckDB's own parse tree of ``duck_sql`` (raises :class:`QueryRefused`).

    Parameters
    ----------
    con:
        An open connection to the warehouse.
    duck_sql:
        The SQL returned by :func:`check_query`.
    """
    serialized = json.loads(con.execute("select json_serialize_sql(?)", [duck_sql]).fetchall()[0][0])
    if serialized.get("error"):
        hint = " (a PIVOT needs an explicit IN list)" if "pivot" in duck_sql.lower() else ""
        raise QueryRefused(
            f"DuckDB cannot run this as a single plain SELECT{hint}: {serialized.get('error_message', '')}"
        )
    statements = serialized.get("statements", [])
    if len(statements) != 1:
        raise QueryRefused(f"several statements ({len(statements)}); send one query at a time")

    outside, user_functions = _catalog_facts(con)
    nodes = list(_json_nodes(statements[0]))
    cte_names = {
        entry["key"].lower()
        for node in nodes
        if isinstance(node.get("cte_map"), dict)
        for entry in node["cte_map"].get("map", [])
    }
    for node in nodes:
        kind = node.get("type")
        if "sample" in node and "alias" in node and kind not in _DUCKDB_TABLE_REFS:
            raise QueryRefused(f"table source of kind {kind} is not allowed; name a marts table")
        if kind == "BASE_TABLE":
            _verify_base_table(node, cte_names, outside)
        elif kind == "TABLE_FUNCTION":
            function = node.get("function") or {}
            name = str(function.get("function_name", "")).lower()
            if name not in ALLOWED_TABLE_FUNCTIONS or function.get("schema") or function.get("catalog"):
                raise QueryRefused(f"table function {name} is not allowed; only marts tables can be read")
        if node.get("class") == "FUNCTION":
            name = str(node.get("function_name", "")).lower()
            if node.get("schema") or node.get("catalog"):
                raise QueryRefused(f"qualified function call {name} is not allowed; call functions by name")
            if DENIED_FUNCTION_PATTERN.match(name):
                raise QueryRefused(f"function {name} is not allowed: {_function_why(name)}")
            if name in user_functions:
                raise QueryRefused(f"function {name} is not allowed: it is a user-defined macro")


_CATALOG_CACHE: dict[tuple, tuple[frozenset[str], frozenset[str]]] = {}


def _catalog_facts(con: duckdb.DuckDBPyConnection) -> tuple[frozenset[str], frozenset[str]]:
    """Names of relations outside the marts and of user-defined functions, cached per file version.

    ``duckdb_functions()`` takes a noticeable fraction of a second, and the answer only changes
    when the warehouse file does.
    """
    row = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchall()[0]
    key = None
    if row and row[0]:
        with contextlib.suppress(OSError):
            stat = Path(row[0]).stat()
            key = (str(Path(row[0]).resolve()), stat.st_mtime_ns, stat.st_size)
    if key is not None and key in _CATALOG_CACHE:
        return _CATALOG_CACHE[key]
    outside = frozenset(
        name.lower()
        for (name,) in con.execute(
            "select table_name from duckdb_tables() where schema_name <> ? "
            "union select view_name from duckdb_views() where schema_name <> ?",
            [MARTS_SCHEMA, MARTS_SCHEMA],
        ).fetchall()
    )
    user_functions = frozenset(
        name.lower()
        for (name,) in con.execute(
            "select function_name from duckdb_functions() where not internal"
        ).fetchall()
    )
    if key is not None:
        if len(_CATALOG_CACHE) >= 8:
            _CATALOG_CACHE.clear()
        _CATALOG_CACHE[key] = (outside, user_functions)
    return outside, user_functions


_DUCKDB_TABLE_REFS = {"BASE_TABLE", "TABLE_FUNCTION", "SUBQUERY", "JOIN", "EXPRESSION_LIST", "EMPTY", "PIVOT"}


def _verify_base_table(node: dict, cte_names: set[str], outside: set[str]) -> None:
    name = str(node.get("table_name", ""))
    schema = str(node.get("schema_name", ""))
    if node.get("catalog_name"):
        raise QueryRefused(f"three-part name into catalog {node['catalog_name']} is not allowed")
    if schema:
        if schema.lower() != MARTS_SCHEMA:
            raise QueryRefused(
                f"schema {schema} is not allowed: only tables in schema {MARTS_SCHEMA} can be queried"
            )
        return
    if name.lower() not in cte_names:
        raise QueryRefused(f"table {name} is not qualified; write {MARTS_SCHEMA}.{name}")
    if name.lower() in outside:
        raise QueryRefused(f"CTE name {name} is also the name of a table outside the marts; rename the CTE")


def _json_nodes(value: Any) -> Iterator[dict]:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


# --------------------------------------------------------------------------------------------------
# formatting

NULL_TEXT = "NULL"
MAX_CELL_WIDTH = 60


def char_width(char: str) -> int:
    """Return how many terminal columns ``char`` takes: 2 for East Asian wide, 0 for combining marks.

    Parameters
    ----------
    char:
        One character.
    """
    if unicodedata.combining(char) or unicodedata.category(char) in {"Mn", "Me", "Cf"}:
        return 0
    return 2 if unicodedata.east_asian_width(char) in {"W", "F"} else 1


def display_width(text: str) -> int:
    """Return how many terminal columns ``text`` takes (East Asian wide characters count twice).

    Parameters
    ----------
    text:
        The text to measure.
    """
    return sum(char_width(c) for c in text)


_display_width = display_width


def _truncate(text: str, width: int) -> str:
    if _display_width(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        w = char_width(char)
        if used + w > width - 1:
            break
        out.append(char)
        used += w
    return "".join(out) + "…"


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - _display_width(text))
    return fill + text if right else text + fill


def _is_null(value: Any) -> bool:
    if value is None or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value)) if not isinstance(value, (list, dict, tuple)) else False
    except (TypeError, ValueError):
        return False


def _is_number(value: Any) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return False
    return isinstance(value, (int, float, decimal.Decimal, np.number))


def _cell_text(value: Any) -> str:
    if _is_null(value):
        return NULL_TEXT
    if isinstance(value, float) or type(value).__name__.startswith("float"):
        number = float(value)
        if math.isinf(number):
            return "inf" if number > 0 else "-inf"
        text = f"{number:.4f}".rstrip("0").rstrip(".")
        return "0" if text == "-0" else text
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    text = str(value)
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


def format_table(df: pd.DataFrame, max_cell_width: int = MAX_CELL_WIDTH) -> str:
    """Render ``df`` as a plain-text table; wide (Chinese) characters count as two columns.

    Numbers are right-aligned, everything else left-aligned; NULLs show as ``NULL``; the last line
    gives the row count.

    Parameters
    ----------
    df:
        The result to render.
    max_cell_width:
        Cells wider than this many columns are cut and end in ``…``.
    """
    headers = [_truncate(str(c), max_cell_width) for c in df.columns]
    columns = [df.iloc[:, i].tolist() for i in range(df.shape[1])]
    right = [
        any(not _is_null(v) for v in values) and all(_is_null(v) or _is_number(v) for v in values)
        for values in columns
    ]
    cells = [[_truncate(_cell_text(v), max_cell_width) for v in values] for values in columns]
    widths = [
        max([_display_width(h), *(_display_width(c) for c in col)])
        for h, col in zip(headers, cells, strict=True)
    ]
    lines = [
        " | ".join(_pad(h, w, r) for h, w, r in zip(headers, widths, right, strict=True)).rstrip(),
        "-+-".join("-" * w for w in widths),
    ]
    for row in zip(*cells, strict=True) if cells else []:
        lines.append(" | ".join(_pad(c, w, r) for c, w, r in zip(row, widths, right, strict=True)).rstrip())
    count = len(df)
    lines.append(f"({count} row{'s' if count != 1 else ''})")
    return "\n".join(lines) + "\n"


def _json_value(value: Any) -> Any:
    if _is_null(value):
        return None
    if isinstance(value, decimal.Decimal):
        return (
            int(value)
            if value == value.to_integral_value() and value.as_tuple().exponent >= 0
            else float(value)
        )
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    if hasattr(value, "item") and not isinstance(value, (list, dict, str, bytes)):
        try:
            return _json_value(value.item())
        except (ValueError, TypeError):
            pass
    if isinstance(value, float) and math.isinf(value):
        return None
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)) or type(value).__name__ == "ndarray":
        return [_json_value(v) for v in value]
    return value


def format_json(df: pd.DataFrame) -> str:
    """Render ``df`` as a JSON array of records, Chinese kept as is (not ``\\u`` escaped).

    Parameters
    ----------
    df:
        The result to render.
    """
    records = [
        {str(col): _json_value(v) for col, v in zip(df.columns, row, strict=True)}
        for row in df.itertuples(index=False, name=None)
    ]
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def format_csv(df: pd.DataFrame) -> str:
    """Render ``df`` as UTF-8 CSV with a header row.

    Parameters
    ----------
    df:
        The result to render.
    """
    return df.to_csv(index=False, lineterminator="\n")
