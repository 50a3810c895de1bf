{#- Incremental helpers.

    `landed_since_last_run()`: for a model reading a raw table, the filter that
    keeps only the files landed after those it already holds (landings are
    immutable and file ids increase), so each landed row is typed once. -#}
{% macro landed_since_last_run() -%}
    {%- if is_incremental() -%}
        where _file_id > (select coalesce(max(file_id), 0) from {{ this }})
    {%- endif -%}
{%- endmacro %}
