"""`wh land DIR` on the Spark targets: the contract files into the same `raw` tables, read by
Spark's own CSV and text readers, in SQL alone (warehouse.spark_sql), so that the same
statements land through the process's session (`spark`) or a cluster's Thrift server
(`spark_cluster`, whose executors read the files: they must see the landing directory).

The same as the DuckDB landing (land.py): every CSV cell as text (empty cells, quoted or
not, NULL; extra columns left out) or every NDJSON line whole (a line ends at LF or CRLF),
with `_file_id`, `_source_file` (the file's path below the landing directory), `_row_number`
and `_landed_at`; the same files in the same order, the same file-level refusals and
idempotency (`landing_files.candidates`); gzip files read as their content (Spark's codec
for `.gz`); the same numbering (the row's position among the rows the reader returned,
blank NDJSON lines counted, then left out); a CSV row with the wrong number of fields goes
to `raw.landing_rejects` with its line number and DuckDB's wording (DuckDB numbers a CSV
file's records, the header being line 1, a multi-line cell counting once).

Spark has no transactions here (no Delta jars): every raw table is partitioned by
`_file_id`. A landing writes the new files' partitions, then records the files in
`raw.landed_files`; a landing interrupted in between leaves partitions that no
`landed_files` row names, and the next landing drops them first. The files of one kind
(and one header) are read in one pass, one Spark job for many files (a union of one scan
per file, a temporary view each, carrying its file's id and name), cached while the rows
and the counts are taken from it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from warehouse.contract import KINDS, Kind
from warehouse.landing_files import Candidate, LandingError, LandingReport, candidates
from warehouse.spark_sql import SparkSql, SparkSqlError, literal, runner

_META = "_source_file string, _row_number bigint, _landed_at timestamp, _file_id bigint"
# a line of JSON white space only (space, tab, CR: the LF is the line end): counted, not landed
_BLANK = "length(translate(raw_record, concat(' ', chr(9), chr(13)), '')) = 0"
_REJECTS_PER_STATEMENT = 500


@dataclass(frozen=True)
class _Planned:
    candidate: Candidate
    file_id: int
    landed_at: str  # UTC, as text: Spark casts it in the session's time zone (UTC)


def ensure_raw_schema(spark: SparkSql) -> None:
    """Create the raw tables (empty) so that a build works before any landing."""
    spark.sql("create database if not exists raw")
    spark.sql(
        "create table if not exists raw.landed_files (file_id bigint, file_name string, kind string, "
        "sha256 string, size_bytes bigint, row_count bigint, rejected_count bigint, landed_at timestamp) "
        "using parquet"
    )
    spark.sql(
        "create table if not exists raw.landing_rejects (kind string, source_file string, "
        "line_number bigint, raw_record string, reason string, landed_at timestamp, _file_id bigint) "
        "using parquet partitioned by (_file_id)"
    )
    for kind in KINDS:
        spark.sql(
            f"create table if not exists raw.{kind.name} ({_columns(kind)}, {_META}) "
            "using parquet partitioned by (_file_id)"
        )


def _columns(kind: Kind) -> str:
    names = ("raw_record",) if kind.ext == "ndjson" else kind.columns
    return ", ".join(f"`{name}` string" for name in names)


def _drop_unrecorded_partitions(spark: SparkSql, recorded: set[int]) -> None:
    """Partitions an interrupted landing wrote but never recorded in raw.landed_files."""
    for table in ["landing_rejects", *(kind.name for kind in KINDS)]:
        for (partition,) in spark.sql(f"show partitions raw.{table}"):
            file_id = int(partition.split("=", 1)[1])
            if file_id not in recorded:
                spark.sql(f"alter table raw.{table} drop if exists partition (_file_id = {file_id})")


def land_directory_spark(directory: Path) -> LandingReport:
    """Land every contract file of `directory` into the Spark target's raw tables."""
    directory = directory.resolve()
    report = LandingReport()
    if not directory.is_dir():
        raise LandingError(f"{directory}: no such directory to land.")
    spark = runner()
    try:
        _land(spark, directory, report)
    finally:
        spark.close()
    return report


def _land(spark: SparkSql, directory: Path, report: LandingReport) -> None:
    spark.sql("set spark.sql.sources.partitionOverwriteMode = dynamic")
    ensure_raw_schema(spark)
    landed = spark.sql("select file_id, sha256 from raw.landed_files")
    before = {file_id for file_id, _ in landed}
    _drop_unrecorded_partitions(spark, before)
    shas = {sha for _, sha in landed}
    next_id = max(before, default=0) + 1

    planned: list[_Planned] = []
    for candidate in candidates(directory, report, shas.__contains__):
        shas.add(candidate.sha256)  # the same content twice in one directory lands once
        planned.append(_Planned(candidate, next_id + len(planned), _now()))

    groups: dict[tuple[str, tuple[str, ...]], list[_Planned]] = {}
    for item in planned:
        groups.setdefault((item.candidate.kind.name, tuple(item.candidate.header)), []).append(item)
    counts: dict[int, tuple[int, int]] = {}
    for group in groups.values():
        try:
            counts.update(_land_group(spark, group))
        except SparkSqlError:  # one file the reader cannot read: find it, land the others
            for item in group:
                try:
                    counts.update(_land_group(spark, [item]))
                except SparkSqlError as error:  # refused whole, in one sentence
                    report.refused.append(_refusal(item.candidate, error))
            # what the failed pass wrote for the refused files goes now, not at the next landing
            _drop_unrecorded_partitions(spark, before | set(counts))
    recorded = [item for item in planned if item.file_id in counts]
    if recorded:
        _record_files(spark, recorded, counts)
    for item in recorded:
        rows, rejected = counts[item.file_id]
        report.landed[item.candidate.name] = rows
        if rejected:
            report.rejected[item.candidate.name] = rejected


def _now() -> str:
    return datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")


def _refusal(candidate: Candidate, error: Exception) -> str:
    first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return f"{candidate.name}: could not be read as {candidate.kind.ext.upper()} ({first_line})."


def _land_group(spark: SparkSql, group: list[_Planned]) -> dict[int, tuple[int, int]]:
    """Land files of one kind and one header; returns {file_id: (rows landed, rows rejected)}."""
    kind = group[0].candidate.kind
    scans = [_scan(spark, item, position) for position, item in enumerate(group)]
    spark.sql(
        "create or replace temporary view _land_records as "
        "select *, cast(_landed_at_text as timestamp) as _landed_at, "
        "row_number() over (partition by _file order by _ord) as _record from ("
        "select *, monotonically_increasing_id() as _ord from (" + " union all ".join(scans) + "))"
    )
    # once: the rows' order (_ord) must be the same for the rows landed and the counts
    spark.sql("cache table _land_records")
    try:
        landing = "_bad is null" + (f" and not {_BLANK}" if kind.ext == "ndjson" else "")
        columns = ["raw_record"] if kind.ext == "ndjson" else list(kind.columns)
        spark.sql(
            f"insert overwrite table raw.{kind.name} partition (_file_id) "
            f"select {', '.join(f'`{c}`' for c in columns)}, _file as _source_file, _row_number, "
            "_landed_at, _file_id from (select *, cast(row_number() over (partition by _file "
            "order by _ord) as bigint) as _row_number from _land_records where _bad is null) "
            # blank NDJSON lines are numbered, then left out
            + (f"where not {_BLANK}" if kind.ext == "ndjson" else "")
        )
        landed = dict(
            spark.sql(
                f"select _file_id, count(case when {landing} then 1 end) from _land_records group by _file_id"
            )
        )
        bad = spark.sql(
            "select _file, _file_id, _record, _bad, _landed_at_text from _land_records "
            "where _bad is not null order by _file_id, _record"
        )
    finally:
        spark.sql("uncache table if exists _land_records")
        for position in range(len(group)):
            spark.sql(f"drop view if exists _land_file_{position}")
    rejected = _rejects(spark, kind, group, bad)
    return {item.file_id: (landed.get(item.file_id, 0), rejected.get(item.file_id, 0)) for item in group}


def _scan(spark: SparkSql, item: _Planned, position: int) -> str:
    """A temporary view of one file, and the select of its rows with their file's columns."""
    candidate, view = item.candidate, f"_land_file_{position}"
    path = literal(str(candidate.path))
    file_columns = (
        f"{literal(candidate.name)} as _file, cast({item.file_id} as bigint) as _file_id, "
        f"{literal(item.landed_at)} as _landed_at_text"
    )
    if candidate.kind.ext == "csv":
        # every cell as text, by the header's position (the header is skipped); a row whose
        # number of fields is not the header's is kept whole in `_bad`
        header = candidate.header
        schema = ", ".join(f"_c{i} string" for i in range(len(header))) + ", _bad string"
        spark.sql(
            f"create or replace temporary view {view} ({schema}) using csv options (path {path}, "
            "header 'true', multiLine 'true', quote '\"', escape '\"', encoding 'UTF-8', "
            "mode 'PERMISSIVE', columnNameOfCorruptRecord '_bad')"
        )
        cells = ", ".join(f"_c{header.index(c)} as `{c}`" for c in candidate.kind.columns)
        return f"select {cells}, _bad, {file_columns} from {view}"
    # one record per line, whole: a line ends at LF, a CR before it is part of the line end
    spark.sql(f"create or replace temporary view {view} using text options (path {path}, lineSep '\\n')")
    return (
        "select case when endswith(value, chr(13)) then substring(value, 1, length(value) - 1) "
        f"else value end as raw_record, cast(null as string) as _bad, {file_columns} from {view}"
    )


def _rejects(spark: SparkSql, kind: Kind, group: list[_Planned], bad: list[tuple]) -> dict[int, int]:
    """CSV rows the reader could not split, with their line number and DuckDB's wording."""
    by_name = {item.candidate.name: item.candidate for item in group}
    rows, counted = [], {}
    for file_name, file_id, record, raw_record, landed_at in bad:
        candidate = by_name[file_name]
        # DuckDB counts records, not physical lines, the header being line 1
        line, expected = record + 1, len(candidate.header)
        found = len(next(csv.reader(io.StringIO(raw_record)), []))
        reason = f"malformed CSV row: Expected Number of Columns: {expected} Found: {found}"
        values = (kind.name, file_name, line, raw_record, reason, landed_at, file_id)
        rows.append("(" + ", ".join(literal(value) for value in values) + ")")
        counted[file_id] = counted.get(file_id, 0) + 1
    for start in range(0, len(rows), _REJECTS_PER_STATEMENT):
        spark.sql(
            "insert overwrite table raw.landing_rejects partition (_file_id) select kind, source_file, "
            "cast(line_number as bigint), raw_record, reason, cast(landed_at as timestamp), "
            "cast(_file_id as bigint) from values "
            + ", ".join(rows[start : start + _REJECTS_PER_STATEMENT])
            + " as rejects (kind, source_file, line_number, raw_record, reason, landed_at, _file_id)"
        )
    return counted


def _record_files(spark: SparkSql, planned: list[_Planned], counts: dict[int, tuple[int, int]]) -> None:
    rows = [
        (
            item.file_id,
            item.candidate.name,
            item.candidate.kind.name,
            item.candidate.sha256,
            item.candidate.path.stat().st_size,
            *counts[item.file_id],
            item.landed_at,
        )
        for item in planned
    ]
    spark.sql(
        "insert into raw.landed_files select cast(file_id as bigint), file_name, kind, sha256, "
        "cast(size_bytes as bigint), cast(row_count as bigint), cast(rejected_count as bigint), "
        "cast(landed_at as timestamp) from values "
        + ", ".join("(" + ", ".join(literal(value) for value in row) + ")" for row in rows)
        + " as files (file_id, file_name, kind, sha256, size_bytes, row_count, rejected_count, landed_at)"
    )
