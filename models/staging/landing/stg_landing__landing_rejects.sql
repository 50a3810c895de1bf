-- Lines of landed files the CSV/NDJSON reader could not split into the
-- file's columns, one row per line, named as audit.rejected_rows names them.
with

source as (

    select * from {{ source('landing', 'landing_rejects') }}

),

renamed as (

    select
        kind as source_table,
        source_file,
        reason,
        raw_record,
        landed_at,
        line_number as row_number
    from source

)

select * from renamed
