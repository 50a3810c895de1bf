"""`wh land DIR` on the spark target: the contract files into the same `raw` tables, read by
Spark's own CSV and text readers.

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
per file, each carrying its file's id and name).
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from warehouse.contract import KINDS, Kind
from warehouse.landing_files import Candidate, LandingError, LandingReport, candidates
from warehouse.spark import session

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

_META = "_source_file string, _row_number bigint, _landed_at timestamp, _file_id bigint"


@dataclass(frozen=True)
class _Planned:
    candidate: Candidate
    file_id: int
    landed_at: str  # UTC, as text: Spark casts it in the session's time zone (UTC)


def ensure_raw_schema(spark: SparkSession) -> None:
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


def _drop_unrecorded_partitions(spark: SparkSession, recorded: set[int]) -> None:
    """Partitions an interrupted landing wrote but never recorded in raw.landed_files."""
    for table in ["landing_rejects", *(kind.name for kind in KINDS)]:
        for (partition,) in spark.sql(f"show partitions raw.{table}").collect():
            file_id = int(partition.split("=", 1)[1])
            if file_id not in recorded:
                spark.sql(f"alter table raw.{table} drop if exists partition (_file_id = {file_id})")


def land_directory_spark(directory: Path) -> LandingReport:
    """Land every contract file of `directory` into the spark target's raw tables."""
    directory = directory.resolve()
    report = LandingReport()
    if not directory.is_dir():
        raise LandingError(f"{directory}: no such directory to land.")
    spark = session()
    ensure_raw_schema(spark)
    landed = spark.sql("select file_id, sha256 from raw.landed_files").collect()
    before = {row.file_id for row in landed}
    _drop_unrecorded_partitions(spark, before)
    shas = {row.sha256 for row in landed}
    next_id = max((row.file_id for row in landed), default=0) + 1

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
        except Exception:  # one file the reader cannot read: find it, land the others
            for item in group:
                try:
                    counts.update(_land_group(spark, [item]))
                except Exception as error:  # refused whole, in one sentence
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
    return report


def _now() -> str:
    return datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")


def _refusal(candidate: Candidate, error: Exception) -> str:
    first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return f"{candidate.name}: could not be read as {candidate.kind.ext.upper()} ({first_line})."


def _land_group(spark: SparkSession, group: list[_Planned]) -> dict[int, tuple[int, int]]:
    """Land files of one kind and one header; returns {file_id: (rows landed, rows rejected)}."""
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window

    kind = group[0].candidate.kind
    read = functools.reduce(
        lambda a, b: a.unionByName(b),
        [
            (_read_csv(spark, item.candidate) if kind.ext == "csv" else _read_lines(spark, item.candidate))
            .withColumn("_file", F.lit(item.candidate.name))
            .withColumn("_file_id", F.lit(item.file_id).cast("bigint"))
            .withColumn("_landed_at_text", F.lit(item.landed_at))
            for item in group
        ],
    )
    records = (
        read.withColumn("_ord", F.monotonically_increasing_id())
        .withColumn("_landed_at", F.col("_landed_at_text").cast("timestamp"))
        .withColumn("_record", F.row_number().over(Window.partitionBy("_file").orderBy("_ord")))
        .cache()
    )
    try:
        good = records.where(F.col("_bad").isNull()).withColumn(
            "_row_number", F.row_number().over(Window.partitionBy("_file").orderBy("_ord"))
        )
        landing = F.col("_bad").isNull()
        if kind.ext == "ndjson":  # blank lines (JSON white space only): counted, not landed
            blank = F.col("raw_record").rlike("^[ \\t\\r]*\\z")
            landing = landing & ~blank
            good = good.where(~blank)
        columns = ["raw_record"] if kind.ext == "ndjson" else list(kind.columns)
        good.select(
            *[F.col(f"`{c}`") for c in columns],
            F.col("_file").alias("_source_file"),
            F.col("_row_number").cast("bigint"),
            "_landed_at",
            "_file_id",
        ).write.insertInto(f"raw.{kind.name}", overwrite=True)
        # per file, in one pass: the rows landed, and the rows the reader set aside
        rejected_row = F.struct("_file", "_file_id", "_record", "_bad", "_landed_at_text")
        summary = (
            records.groupBy("_file_id")
            .agg(
                F.count(F.when(landing, 1)).alias("landed"),
                F.collect_list(F.when(F.col("_bad").isNotNull(), rejected_row)).alias("bad"),
            )
            .collect()
        )
        landed = {row._file_id: row.landed for row in summary}
        bad = [rejected for row in summary for rejected in row.bad]
    finally:
        records.unpersist()
    rejected = _rejects(spark, kind, group, bad)
    return {item.file_id: (landed.get(item.file_id, 0), rejected.get(item.file_id, 0)) for item in group}


def _read_csv(spark: SparkSession, candidate: Candidate) -> DataFrame:
    """Every cell as text, by the header's position (the header is skipped); a row whose
    number of fields is not the header's is kept whole in `_bad`."""
    from pyspark.sql import functions as F

    header = candidate.header
    positional = [f"_c{i}" for i in range(len(header))]
    schema = ", ".join(f"{name} string" for name in positional) + ", _bad string"
    frame = (
        spark.read.schema(schema)
        .options(
            header=True,
            multiLine=True,
            quote='"',
            escape='"',
            encoding="UTF-8",
            mode="PERMISSIVE",
            columnNameOfCorruptRecord="_bad",
        )
        .csv(str(candidate.path))
    )
    return frame.select(*[F.col(f"_c{header.index(c)}").alias(c) for c in candidate.kind.columns], "_bad")


def _read_lines(spark: SparkSession, candidate: Candidate) -> DataFrame:
    """One record per line, whole: a line ends at LF, a CR before it is part of the line end."""
    from pyspark.sql import functions as F

    value = F.col("value")
    frame = spark.read.option("lineSep", "\n").text(str(candidate.path))
    return frame.select(
        F.when(value.endswith("\r"), F.expr("substring(value, 1, length(value) - 1)"))
        .otherwise(value)
        .alias("raw_record"),
        F.lit(None).cast("string").alias("_bad"),
    )


def _rejects(spark: SparkSession, kind: Kind, group: list[_Planned], bad: Iterable) -> dict[int, int]:
    """CSV rows the reader could not split, with their line number and DuckDB's wording."""
    by_name = {item.candidate.name: item.candidate for item in group}
    rows, counted = [], {}
    for row in sorted(bad, key=lambda r: (r._file_id, r._record)):
        candidate = by_name[row._file]
        # DuckDB counts records, not physical lines, the header being line 1
        line, expected = row._record + 1, len(candidate.header)
        found = len(next(csv.reader(io.StringIO(row._bad)), []))
        reason = f"malformed CSV row: Expected Number of Columns: {expected} Found: {found}"
        rows.append((kind.name, row._file, line, row._bad, reason, row._landed_at_text, row._file_id))
        counted[row._file_id] = counted.get(row._file_id, 0) + 1
    if rows:
        frame = spark.createDataFrame(
            rows,
            "kind string, source_file string, line_number bigint, raw_record string, reason string, "
            "landed_at string, _file_id bigint",
        )
        frame.selectExpr(
            "kind",
            "source_file",
            "line_number",
            "raw_record",
            "reason",
            "cast(landed_at as timestamp) as landed_at",
            "_file_id",
        ).write.insertInto("raw.landing_rejects", overwrite=True)
    return counted


def _record_files(spark: SparkSession, planned: list[_Planned], counts: dict[int, tuple[int, int]]) -> None:
    from pyspark.sql import functions as F

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
    spark.createDataFrame(
        rows,
        "file_id bigint, file_name string, kind string, sha256 string, size_bytes bigint, "
        "row_count bigint, rejected_count bigint, landed_at string",
    ).withColumn("landed_at", F.col("landed_at").cast("timestamp")).write.insertInto("raw.landed_files")
