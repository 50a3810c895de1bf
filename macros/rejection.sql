{#- Row validation for the base models. `rejection_reason([...])` renders the
    first failing check as a reason a person understands, or NULL when the row
    keeps the contract. Each check is a `when <broken> then '<reason>'` arm. -#}

{% macro rejection_reason(checks) -%}
    case
        {% for check in checks -%}
        {{ check }}
        {% endfor -%}
    end
{%- endmacro %}

{#- How a column is named to a person: its path in the landed record. -#}
{% macro _label(column) -%}
    {{ column | replace('envelope.', '') | replace('record.', '') }}
{%- endmacro %}

{% macro check_required(column) -%}
    when nullif(trim({{ column }}), '') is null then 'missing {{ _label(column) }}'
{%- endmacro %}

{% macro check_enum(column, values, required=true) -%}
    {% if required %}{{ check_required(column) }}
    {% endif -%}
    when {{ column }} not in ('{{ values | join("', '") }}')
        then 'unknown {{ _label(column) }} ''' || {{ column }} || ''' (expected one of {{ values | join(", ") }})'
{%- endmacro %}

{% macro check_parsed(raw_column, parsed, what, required=true) -%}
    {% if required %}{{ check_required(raw_column) }}
    {% endif -%}
    when nullif(trim({{ raw_column }}), '') is not null and {{ parsed }} is null
        then '{{ _label(raw_column) }} ''' || {{ raw_column }} || ''' is not {{ what }}'
{%- endmacro %}

{% macro check_not_negative(column, parsed) -%}
    when {{ parsed }} < 0 then 'negative {{ _label(column) }} ' || cast({{ parsed }} as {{ dbt.type_string() }})
{%- endmacro %}

{#- The landing metadata every base model carries, and the row kept whole. -#}
{% macro landing_columns(landed_columns) -%}
    _file_id as file_id,
        _source_file as source_file,
        _row_number as row_number,
        _landed_at as landed_at,
        {{ record_as_json(landed_columns) }} as raw_record
{%- endmacro %}

{#- The current-state rule of the CSV files (collections.md): the row with the
    latest `updated_at` (when the file has one), ties to the row landed last
    (a later landing, then a later row of the same file). -#}
{% macro qualify_current_state(key, versioned=true) -%}
    qualify row_number() over (
        partition by {{ key }}
        order by {% if versioned %}updated_at desc, {% endif %}file_id desc, row_number desc
    ) = 1
{%- endmacro %}

{#- A model that rejects current rows for a rule between rows: the CTEs that
    add the whole landed record (`raw_record`, for audit.rejected_rows) to its
    rejected rows only, looked up in `landed` (its base model) by the row's
    `file_id` and `row_number`. The model ends with `select * from with_records`. -#}
{% macro rejected_records_ctes(checked, landed) -%}
-- The whole landed record, for the rows rejected here (audit.rejected_rows).
rejected_records as (

    select
        landed.file_id,
        landed.row_number,
        landed.raw_record
    from {{ landed }} as landed
    where (landed.file_id, landed.row_number) in (
        select
            {{ checked }}.file_id,
            {{ checked }}.row_number
        from {{ checked }}
        where {{ checked }}.rejection_reason is not null
    )

),

with_records as (

    select
        {{ checked }}.*,
        rejected_records.raw_record
    from {{ checked }}
    left join rejected_records
        on
            {{ checked }}.file_id = rejected_records.file_id
            and {{ checked }}.row_number = rejected_records.row_number

)
{%- endmacro %}
